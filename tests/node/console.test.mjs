// The organizer console in a real browser (Debian's chromium, driven by playwright-core):
// judges judge and the public board moves, claims keep a second judge off, an upload with a
// bad row applies nothing, freeze / adjust / unfreeze plays the reveal, finalize locks the export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, cutOnPage, deliver, flushDb, mergedPr, redisPort, redisUrl, sharedBrowser, startServer, waitReady, writeConfig, isoIn, testNow } from './lib.mjs';
import { execFileSync } from 'node:child_process';

const ARTIFACTS = process.env.LB_ARTIFACTS_DIR ?? fs.mkdtempSync('/tmp/lb-artifacts-');
const JUDGES = { ana: 'console-judge-ana', bo: 'console-judge-bo' };
const iso = isoIn;

function config() {
  const teams = [{ id: 'beijing', name: { en: 'Beijing', zh: '北京' }, kind: 'city' }, { id: 'shanghai', name: { en: 'Shanghai', zh: '上海' }, kind: 'city' }];
  const participants = [{ id: 'ann', name: 'Ann', github: 'ann', teams: ['beijing'] }, { id: 'bob', name: 'Bob', github: 'bob', teams: ['shanghai'] },
    { id: 'octo', name: 'Octo', github: 'Codertocat', teams: ['shanghai'] }, { id: 'eve', name: 'Eve', teams: ['beijing'] }];
  return {
    admin_token_env: 'LB_ADMIN_TOKEN',
    judges: [{ id: 'ana', name: 'Ana', token_env: 'LB_JUDGE_ANA' }, { id: 'bo', name: 'Bo', token_env: 'LB_JUDGE_BO' }],
    webhooks: { github: { secret_env: 'LB_GITHUB_SECRET' } },
    contests: [
      { id: 'camp', title: { en: 'Training camp', zh: '训练营' }, starts_at: iso(-1), ends_at: iso(30), repos: ['github:Codertocat/Hello-World'],
        teams, participants,
        rules: { pull_requests: { base_points: 1, label_points: { bug: 10 } },
          reproductions: { models: [{ id: 'resnet50', name: 'ResNet-50', points: 100, metric: 'top1', target: 0.76, tolerance: 0.01, first_bonus: 50 }] },
          components: [{ id: 'notes', name: { en: 'Notes', zh: '学习笔记' }, max: 10,
            submissions: { assignments: [{ id: 'w1', opens_at: iso(-1), due_at: iso(5) }] } }] } },
      { id: 'finals', title: { en: 'Finals', zh: '决赛' }, starts_at: iso(-7), ends_at: iso(-1), repos: ['github:Codertocat/Hello-World'],
        placings: [{ from: 1, to: 1, title: { en: 'Champion', zh: '冠军' } }, { from: 2, to: 3, title: { en: 'Runner-up', zh: '优胜奖' } }],
        teams, participants, rules: { pull_requests: { base_points: 1, label_points: { bug: 10 } } } },
    ],
  };
}

async function api(base, method, route, body, tokenValue = ADMIN_TOKEN, type = 'application/json') {
  const response = await fetch(`${base}${route}`, { method, headers: { Authorization: `Bearer ${tokenValue}`, 'Content-Type': type },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  return { status: response.status, body: await response.json() };
}

async function signIn(browser, base, tokenValue, { lang = 'en', contest = 'camp', width = 1366, height = 768, entry = '/admin' } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const failed = [];
  // A download of an export is a blob: navigation the browser ends itself; anything else failing is a fault.
  page.on('requestfailed', (r) => { if (!r.url().startsWith('blob:')) failed.push(`${r.url()} ${r.failure()?.errorText}`); });
  page.on('pageerror', (e) => failed.push(String(e)));
  await page.goto(`${base}${entry}?lang=${lang}&contest=${contest}`);
  await page.fill('#token', tokenValue);
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('#tabs button');
  return { page, failed };
}

async function snap(page, name, fullPage = false) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage });
}

async function confirm(page, reason) {
  await page.waitForSelector('#confirm[open]');
  if (reason !== undefined) await page.fill('#confirm-reason', reason);
  await page.click('#confirm-ok');
}

test('judges judge from the queue and the public board moves; a second judge cannot claim; a judge reaches no admin action', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(58);
  const server = await startServer(writeConfig(config()), redisUrl(58), { env: { LB_JUDGE_ANA: JUDGES.ana, LB_JUDGE_BO: JUDGES.bo } });
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1, author: 'bob', mergedAt: iso(0) }));
    const issued = await api(server.base, 'POST', '/api/contests/camp/participants/ann/tokens');
    const submitted = await api(server.base, 'POST', '/api/contests/camp/submissions',
      { model: 'resnet50', metrics: { top1: 0.764 }, evidence_url: 'https://example.org/runs/ann' }, issued.body.token);
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const sid = submitted.body.id;

    // A wrong token is refused on the sign-in form.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const wrong = await context.newPage();
    await wrong.goto(`${server.base}/admin?lang=en`);
    await wrong.fill('#token', 'not-a-token');
    await wrong.click('#signin button[type=submit]');
    await wrong.waitForFunction(() => document.querySelector('#signin-error').textContent.length > 0);
    assert.equal(await wrong.isVisible('#tabs'), false);

    const publicPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await publicPage.goto(`${server.base}/?contest=camp&lang=en`);
    await publicPage.waitForSelector('#rows li');

    const ana = await signIn(browser, server.base, JUDGES.ana);
    assert.deepEqual(await ana.page.$$eval('#tabs button', (els) => els.map((e) => e.dataset.tab)), ['overview', 'judging', 'explain']);
    assert.equal(await ana.page.textContent('#who'), 'ana · judge');
    await ana.page.waitForSelector('[data-card="pending"] strong');
    await ana.page.waitForFunction(() => document.querySelector('[data-card="pending"] strong').textContent === '1');
    assert.match(await ana.page.textContent('[data-host="github"]'), /applied 1/);
    await snap(ana.page, 'console-overview-en-1366.png');
    // A contest that is not final has no "final" line, and nothing absent is drawn as text.
    assert.doesNotMatch(await ana.page.textContent('main'), /\bnull\b|undefined/);
    // The token lives in sessionStorage only.
    assert.equal(await ana.page.evaluate(() => localStorage.length), 0);
    assert.equal(await ana.page.evaluate(() => sessionStorage.getItem('lb-console-token')), JUDGES.ana);
    // Admin routes answer 403 to a judge's token.
    const forbidden = await ana.page.evaluate(async () => (await fetch('/api/contests/camp/adjustments', { method: 'POST',
      headers: { Authorization: `Bearer ${sessionStorage.getItem('lb-console-token')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ participant: 'ann', points: 5, reason: 'x' }) })).status);
    assert.equal(forbidden, 403);

    await ana.page.click('[data-tab="judging"]');
    await ana.page.waitForSelector(`tr[data-sid="${sid}"]`);
    await ana.page.keyboard.press('c');  // claim by keyboard
    await ana.page.waitForSelector('#accept:not([disabled])');
    await ana.page.waitForSelector('#tolerance.pass');
    assert.match(await ana.page.textContent('#first-bonus'), /— → ann/);
    await snap(ana.page, 'console-judging-en-1366.png');

    // Bo sees the claim and cannot take it.
    const bo = await signIn(browser, server.base, JUDGES.bo, { lang: 'zh', width: 1024 });
    await bo.page.click('[data-tab="judging"]');
    await bo.page.waitForSelector(`tr[data-sid="${sid}"] td.claimed`);
    assert.equal(await bo.page.textContent(`tr[data-sid="${sid}"] td.claimed`), 'ana');
    assert.equal(await bo.page.isDisabled('#accept'), true);
    await bo.page.click('#claim');
    await bo.page.waitForSelector('#toast.error:not([hidden])');
    assert.match(await bo.page.textContent('#toast'), /ana/);
    await snap(bo.page, 'console-judging-zh-1024.png');

    await ana.page.fill('#measured', '0.7605');
    await ana.page.waitForSelector('#tolerance.pass');
    await ana.page.click('#accept');
    await ana.page.waitForSelector('#queue-empty');
    // The reproduction (100) and the first bonus (50) are two awards: the board may show the first alone for a frame.
    await publicPage.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === 'Ann'
      && document.querySelector('#rows li .points')?.textContent === '150', null, { timeout: 3000 });
    await ana.page.fill('#judged-search', 'ann');
    await ana.page.waitForFunction((id) => document.querySelector(`#judged tr[data-sid="${id}"]`)?.textContent.includes('accepted'), sid);

    // Homework beside the reproductions: handed in with the participant's token, scored from the queue.
    const handed = await api(server.base, 'POST', '/api/contests/camp/homework',
      { component: 'notes', assignment: 'w1', url: 'https://example.org/ann/notes', note: 'week one' }, issued.body.token);
    assert.equal(handed.status, 201, JSON.stringify(handed.body));
    await ana.page.click('[data-tab="overview"]');
    await ana.page.click('[data-tab="judging"]');
    const row = ana.page.locator('#homework-queue tr[data-hand-in="notes:w1:ann"]');
    await row.waitFor();
    assert.match(await row.textContent(), /Ann.*notes · w1.*https:\/\/example\.org\/ann\/notes.*week one/);
    await snap(ana.page, 'console-homework-en-1366.png');
    assert.doesNotMatch(await ana.page.textContent('#homework-queue'), /\bnull\b|undefined/);
    // Claimed first, as a reproduction is: the row says who holds it.
    await row.locator('button.claim').click();
    await ana.page.waitForFunction(() => document.querySelector('#homework-queue tr[data-hand-in="notes:w1:ann"] .claimed-by')?.textContent === 'Claimed by ana');
    await row.locator('input.points').fill('8.5');
    await row.locator('input.comment').fill('clear and short');
    await row.locator('button.primary').click();
    await ana.page.waitForSelector('#homework-empty');
    assert.equal(await ana.page.textContent('#homework-queue summary'), 'Scored (1)');
    await publicPage.waitForFunction(() => document.querySelector('#rows li[data-id="ann"] .points')?.textContent === '158.5', null, { timeout: 3000 });

    // Why a PR counts: from the same scoring rules.
    await ana.page.click('[data-tab="explain"]');
    await ana.page.fill('#explain-input', 'https://github.com/Codertocat/Hello-World/pull/1');
    await ana.page.click('#explain-run');
    await ana.page.waitForSelector('#explain-result li[data-check="label_points"].pass');
    assert.match(await ana.page.textContent('#explain-result li[data-check="registration"]'), /participant bob/);
    assert.deepEqual([...ana.failed, ...bo.failed], []);
  } finally {
    await server.stop();
  }
});

test('an upload with one bad row applies nothing and names the row; freeze, adjust, unfreeze reveal; finalize locks the export', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(59);
  const server = await startServer(writeConfig(config()), redisUrl(59), { env: { LB_JUDGE_ANA: JUDGES.ana } });
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1, author: 'Codertocat', mergedAt: iso(-3) }));
    await deliver(server.base, mergedPr({ number: 2, author: 'bob', labels: [], mergedAt: iso(-3) }));
    await deliver(server.base, mergedPr({ number: 4, author: 'zed', labels: [], mergedAt: iso(-3) }));  // nobody's login yet
    const admin = await signIn(browser, server.base, ADMIN_TOKEN, { contest: 'finals' });
    assert.equal((await admin.page.$$eval('#tabs button', (els) => els.map((e) => e.dataset.tab))).length, 9);

    // Data: a participants CSV with one bad row.
    await admin.page.click('[data-tab="data"]');
    await admin.page.waitForSelector('#upload-target');
    await admin.page.selectOption('#upload-target', 'participants');
    await admin.page.fill('#upload-text', 'id,name,github,teams\nann,Ann Lin,ann,beijing\ncyd,Cyd,cyd,atlantis\n');
    await admin.page.click('#upload-check');
    await admin.page.waitForSelector('#upload-problems li');
    assert.match(await admin.page.textContent('#upload-problems'), /line 3/);
    assert.equal(await admin.page.isDisabled('#upload-apply'), true);
    await snap(admin.page, 'console-upload-en-1366.png');
    const roster = await api(server.base, 'GET', '/api/contests/finals/participants');
    assert.equal(roster.body.participants.find((p) => p.id === 'ann').name, 'Ann');
    assert.equal(roster.body.participants.some((p) => p.id === 'cyd'), false);
    await admin.page.fill('#upload-text', 'id,name,github,teams\nann,Ann Lin,ann,beijing\ncyd,Cyd,cyd,shanghai\n');
    await admin.page.click('#upload-check');
    await admin.page.waitForSelector('#upload-apply:not([disabled])');
    assert.match(await admin.page.textContent('#upload-summary'), /2 row\(s\) would change/);
    await admin.page.click('#upload-apply');
    await admin.page.waitForFunction(() => /Applied 2/.test(document.querySelector('#upload-summary')?.textContent ?? ''));
    // An unattributed login registered from the list: its PR counts for the participant.
    await admin.page.selectOption('tr[data-login="github:zed"] select', 'eve');
    await admin.page.click('tr[data-login="github:zed"] button');
    await admin.page.waitForSelector('#unattributed-empty');
    const registered = await api(server.base, 'GET', '/api/contests/finals/participants');
    assert.equal(registered.body.participants.find((p) => p.id === 'eve').github, 'zed');
    for (let i = 0; i < 50; i++) {
      const board = await (await fetch(`${server.base}/api/contests/finals/standings`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
      if (board.rows.some((r) => r.id === 'eve' && r.points === 1)) break;
      assert.ok(i < 49, 'the registered login\'s PR never counted for Eve');
      await new Promise((r) => setTimeout(r, 100));
    }

    // Freeze, adjust, unfreeze: the public page holds, then reveals.
    const publicPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await publicPage.goto(`${server.base}/?contest=finals&lang=en`);
    await publicPage.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === 'Octo');
    await admin.page.click('[data-tab="points"]');
    await admin.page.waitForSelector('#freeze:not([disabled])');
    assert.equal(await admin.page.isDisabled('#finalize'), false);
    await admin.page.click('#freeze');
    await confirm(admin.page, 'final hour');
    await admin.page.waitForSelector('#unfreeze:not([disabled])');
    await publicPage.waitForFunction(() => document.querySelector('#status').textContent === 'Frozen', null, { timeout: 3000 });
    await admin.page.selectOption('#adjust-participant', 'bob');
    await admin.page.fill('#adjust-points', '50');
    await admin.page.fill('#adjust-reason', 'best talk');
    await admin.page.click('#adjust');
    await admin.page.waitForSelector('#toast.ok:not([hidden])');
    await publicPage.waitForTimeout(600);
    assert.equal(await publicPage.textContent('#rows li .name'), 'Octo');  // frozen: the public board stands still
    // Finalizing a frozen board is refused: it would publish frozen results as final.
    await admin.page.click('#finalize');
    await confirm(admin.page, '');
    await admin.page.waitForSelector('#toast.error:not([hidden])');
    assert.match(await admin.page.textContent('#toast'), /unfreeze/);
    await admin.page.click('#unfreeze');
    await confirm(admin.page, '');
    await publicPage.waitForSelector('#rows.revealing', { timeout: 3000 });
    await publicPage.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === 'Bob', null, { timeout: 5000 });
    await admin.page.waitForSelector('#freeze:not([disabled])');  // the view redrawn after the unfreeze, before the next click
    await admin.page.click('#finalize');
    await confirm(admin.page, 'results announced');
    await admin.page.waitForSelector('#finalize[disabled]');
    assert.match(await admin.page.textContent('#clock-state'), /Final/);
    await admin.page.click('#export-json');
    await admin.page.waitForFunction(() => /checksum sha256:/.test(document.querySelector('#export-info').textContent));
    // The config file read again from the console: the contest stays final.
    await admin.page.click('#config-reload');
    await admin.page.waitForSelector('#config-result .pass');
    assert.match(await admin.page.textContent('#config-result'), /Reloaded: camp, finals/);
    await snap(admin.page, 'console-points-en-1366.png');
    const exported = await (await fetch(`${server.base}/api/contests/finals/standings`)).json();
    assert.equal(exported.final, true);
    assert.match(exported.checksum, /^sha256:[0-9a-f]{64}$/);
    assert.equal(exported.rows[0].id, 'bob');
    // The placings go with the final ranks, in the export and on the public page.
    assert.deepEqual(exported.rows[0].placing, { en: 'Champion', zh: '冠军' });
    assert.deepEqual(exported.rows[1].placing, { en: 'Runner-up', zh: '优胜奖' });
    assert.equal(exported.rows.slice(3).some((r) => r.placing), false);
    await publicPage.reload();
    await publicPage.waitForSelector('#rows li[data-id="bob"] .chip.placing');
    assert.equal(await publicPage.textContent('#rows li[data-id="bob"] .chip.placing'), 'Champion');
    assert.equal(await publicPage.$$eval('#rows li .chip.placing', (els) => els.length), exported.rows.filter((r) => r.rank <= 3).length);
    assert.deepEqual(await cutOnPage(publicPage, '#heading, #rows li'), []);
    // After finalize no award moves the standings.
    const late = await deliver(server.base, mergedPr({ number: 3, author: 'Codertocat', mergedAt: iso(-2) }));
    assert.equal(late.body.contests.find((c) => c.contest === 'finals').outcome, 'after_final');
    assert.equal((await (await fetch(`${server.base}/api/contests/finals/standings`)).json()).checksum, exported.checksum);

    // The audit log, filtered by action.
    await admin.page.click('[data-tab="audit"]');
    await admin.page.fill('#audit-action', 'adjustment');
    await admin.page.press('#audit-action', 'Enter');
    await admin.page.waitForFunction(() => document.querySelectorAll('#audit-rows tr').length === 1);
    assert.match(await admin.page.textContent('#audit-rows'), /best talk/);

    // The same views in the other language and size.
    for (const [lang, width] of [['zh', 1366], ['zh', 1024], ['en', 1024]]) {
      const view = await signIn(browser, server.base, ADMIN_TOKEN, { lang, contest: 'finals', width });
      await view.page.waitForSelector('[data-card="state"] strong');
      await snap(view.page, `console-overview-${lang}-${width}.png`);
      await view.page.click('[data-tab="points"]');
      await view.page.waitForSelector('#clock-state');
      await snap(view.page, `console-points-${lang}-${width}.png`);
      await view.page.click('[data-tab="data"]');
      await view.page.waitForSelector('#participant-list tr[data-pid]');
      await snap(view.page, `console-data-${lang}-${width}.png`);
      assert.deepEqual(view.failed, []);
    }
    // Signing out forgets the token.
    await admin.page.click('#signout');
    assert.equal(await admin.page.evaluate(() => sessionStorage.getItem('lb-console-token')), null);
    assert.equal(await admin.page.isVisible('#signin'), true);
    assert.deepEqual(admin.failed, []);
  } finally {
    await server.stop();
  }
});

test('the sign-ups tab lists waiting sign-ups; approving issues the community id, rejecting frees the login', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(90);
  const document = config();
  document.community = { id_prefix: 'MSG-', id_width: 6 };
  const server = await startServer(writeConfig(document), redisUrl(90), { env: { LB_JUDGE_ANA: JUDGES.ana } });
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    const signUp = (body) => fetch(`${server.base}/api/community/sign-ups`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) }).then((r) => r.json());
    const first = await signUp({ name: '李雷', github: 'li-lei', city: '上海', school: '复旦大学' });
    const second = await signUp({ name: 'Spam', gitee: 'spammer' });
    for (const lang of ['zh', 'en']) {
      const admin = await signIn(browser, server.base, ADMIN_TOKEN, { lang, contest: 'finals' });
      await admin.page.click('[data-tab="signups"]');
      await admin.page.waitForSelector(`tr[data-request="${first.request}"]`);
      assert.match(await admin.page.textContent(`tr[data-request="${first.request}"]`), /李雷.*GitHub li-lei.*上海 · 复旦大学/);
      await snap(admin.page, `console-signups-${lang}-1366.png`);
      if (lang === 'en') {
        await admin.page.click(`tr[data-request="${first.request}"] [data-action="approve"]`);
        await confirm(admin.page);
        await admin.page.waitForFunction(() => /member MSG-000001/.test(document.querySelector('#toast')?.textContent ?? ''));
        await admin.page.click(`tr[data-request="${second.request}"] [data-action="reject"]`);
        await confirm(admin.page, 'not a person');
        await admin.page.waitForFunction(() => document.querySelectorAll('tr[data-request]').length === 0);
        assert.deepEqual(admin.failed, []);
      }
      await admin.page.context().close();
    }
    const person = await (await fetch(`${server.base}/api/people/MSG-000001`)).json();
    assert.equal(person.name, '李雷');
    const rejected = await api(server.base, 'GET', '/api/community/sign-ups?state=rejected');
    assert.equal(rejected.body.sign_ups[0].reason, 'not a person');
    assert.equal((await signUp({ name: 'Again', gitee: 'spammer' })).state, 'pending');  // the rejected login is free again
    // A judge has no sign-ups tab.
    const ana = await signIn(browser, server.base, JUDGES.ana, { contest: 'finals' });
    assert.equal(await ana.page.$$eval('#tabs button[data-tab="signups"]', (els) => els.length), 0);
  } finally {
    await server.stop();
  }
});

test('the operations page shows new contributors, retention, the funnel and merges per day by chapter, in both languages', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(91);
  const document = config();
  document.community = { id_prefix: 'MSG-', id_width: 6 };
  document.seasons = [{ id: 's1', title: { en: 'Season one', zh: '第一赛季' }, contests: [{ id: 'camp', weight: 1 }, { id: 'finals', weight: 2 }] }];
  const server = await startServer(writeConfig(document), redisUrl(91), { env: { LB_JUDGE_ANA: JUDGES.ana } });
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    // finals ran last week: Ann and Bob merged in it, Octo merged before it and again in it, Zed is not registered.
    const merges = [[1, 'ann', -6.5], [2, 'bob', -5.5], [3, 'ann', -4.5], [4, 'Codertocat', -20], [5, 'Codertocat', -3.5], [6, 'zed', -2.5]];
    for (const [number, author, days] of merges)
      assert.equal((await deliver(server.base, mergedPr({ number, author, mergedAt: iso(days) }))).status, 200);
    const figures = await api(server.base, 'GET', '/api/contests/finals/operations');
    assert.equal(figures.status, 200, JSON.stringify(figures.body));
    assert.equal(figures.body.totals.new_contributors, 3);  // Ann, Bob, Zed; Octo merged before

    for (const [lang, width] of [['en', 1366], ['zh', 1024]]) {
      const { page, failed } = await signIn(browser, server.base, ADMIN_TOKEN, { lang, contest: 'finals', width, height: 900, entry: '/ops' });
      await page.waitForSelector('#ops-chapters');
      assert.equal(await page.getAttribute('[data-tab="ops"]', 'aria-selected'), 'true');
      assert.equal(await page.textContent('[data-card="new"] strong'), '3');
      assert.equal(await page.textContent('[data-card="registered"] strong'), '4');
      assert.equal(await page.textContent('#funnel [data-step="merged"] strong'), '3');
      assert.equal(await page.textContent('tr[data-chapter="beijing"] [data-col="merges"]'), '2');
      assert.equal(await page.textContent('tr[data-chapter="shanghai"] [data-col="new_contributors"]'), '1');
      assert.equal(await page.textContent('tr[data-chapter="total"] [data-col="merges"]'), '5');
      assert.match(await page.textContent('tr[data-chapter="beijing"]'), lang === 'zh' ? /北京/ : /Beijing/);
      assert.equal(await page.$$eval('.daily-chart rect[data-chapter]', (els) => els.length), 5);
      assert.match(await page.textContent('[data-card="retained-30"]'), lang === 'zh' ? /尚未过完/ : /not over yet/);
      await snap(page, `console-ops-${lang}-${width}.png`, true);
      if (lang === 'en') {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#ops-csv')]);
        const text = fs.readFileSync(await download.path(), 'utf8');
        assert.match(text, /^chapter,name,registered,active,merged/);
        assert.match(text, /total,Total,4,3,3,0,3,0,0,5\r\n/);
        await page.selectOption('#ops-kind', 'school');
        await page.waitForFunction(() => document.querySelector('#ops-kind')?.value === 'school'
          && document.querySelector('tr[data-chapter="none"] [data-col="registered"]')?.textContent === '4');
      }
      assert.deepEqual(failed, []);
      await page.context().close();
    }
    // A judge has no operations tab, and the figures answer 403 to a judge's token.
    const ana = await signIn(browser, server.base, JUDGES.ana, { contest: 'finals' });
    assert.equal(await ana.page.$$eval('#tabs button[data-tab="ops"]', (els) => els.length), 0);
    assert.equal((await api(server.base, 'GET', '/api/contests/finals/operations', undefined, JUDGES.ana)).status, 403);

    // The season page: members ranked by weighted points (finals counts double), and their cities.
    for (const [name, login, city] of [['Ann', 'ann', 'Beijing'], ['Bob', 'bob', '上海']]) {
      const request = await (await fetch(`${server.base}/api/community/sign-ups`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, github: login, city }) })).json();
      assert.equal((await api(server.base, 'POST', `/api/community/sign-ups/${request.request}/approve`, {})).status, 200);
    }
    for (const [lang, width] of [['en', 1280], ['zh', 390]]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const failed = [];
      page.on('pageerror', (e) => failed.push(String(e)));
      await page.goto(`${server.base}/seasons/s1?lang=${lang}`);
      await page.waitForSelector('#season-rows tbody tr');
      assert.deepEqual(await page.$$eval('#season-rows tbody tr', (rows) => rows.map((r) => [r.children[1].textContent, r.children[3].textContent])),
        lang === 'en' ? [['Ann', '44'], ['Bob', '22']] : [['Ann', '44'], ['Bob', '44']]);
      assert.equal(await page.textContent('#title'), lang === 'zh' ? '赛季 · 第一赛季' : 'Season · Season one');
      await snap(page, `season-people-${lang}-${width}.png`);
      if (lang === 'en') {  // a merge in finals reaches the open page through the contest's live stream, not the 30 s re-read
        assert.equal((await deliver(server.base, mergedPr({ number: 7, author: 'bob', mergedAt: iso(-2) }))).status, 200);
        await page.waitForFunction(() => document.querySelector('#season-rows tbody tr:nth-child(2) td.points')?.textContent === '44',
          null, { timeout: 5000 });
        await page.waitForFunction(() => document.querySelector('#season-rows tbody tr:nth-child(1)')?.dataset.id === 'MSG-000001');
      }
      await page.click('[data-board="chapters:city"]');
      await page.waitForFunction(() => document.querySelector('#season-rows tbody tr')?.dataset.id === 'Beijing');
      assert.deepEqual(await page.$$eval('#season-rows tbody tr', (rows) => rows.map((r) => [r.dataset.id, r.children[3].textContent])),
        [['Beijing', '44'], ['上海', '44']]);
      await snap(page, `season-cities-${lang}-${width}.png`);
      assert.deepEqual(failed, []);
      await context.close();
    }

    // The operations tab over the season: each person once across camp and finals, members by their city.
    for (const [lang, width] of [['en', 1366], ['zh', 1024]]) {
      const { page, failed } = await signIn(browser, server.base, ADMIN_TOKEN, { lang, contest: 'finals', width, height: 900, entry: '/ops' });
      await page.waitForSelector('#ops-scope');
      await page.selectOption('#ops-scope', 's1');
      await page.waitForSelector('tr[data-chapter="Beijing"]');
      assert.equal(await page.textContent('[data-card="registered"] strong'), '4');  // Ann, Bob, Octo, Eve: once each
      assert.equal(await page.textContent('[data-card="new"] strong'), '3');
      assert.equal(await page.textContent('tr[data-chapter="上海"] [data-col="merges"]'), '2');
      assert.equal(await page.textContent('tr[data-chapter="not_member"] [data-col="registered"]'), '2');
      assert.equal(await page.textContent('tr[data-chapter="total"] [data-col="merges"]'), '6');
      assert.match(await page.textContent('#funnel [data-step="merged"]'), lang === 'zh' ? /赛季/ : /season/);
      await snap(page, `console-ops-season-${lang}-${width}.png`, true);
      assert.deepEqual(failed, []);
      await page.context().close();
    }
  } finally {
    await server.stop();
  }
});

test('organizers see the ballots of a vote with their fraud signals and void one with a reason (en and zh)', async () => {
  const document = config();
  document.contests[0].rules.components.push({ id: 'talk', kind: 'votes', name: { en: 'Video talk', zh: '视频讲解' }, max: 100,
    vote: { opens_at: iso(-0.5), closes_at: iso(2), k: 2 } });
  const browser = await sharedBrowser();
  for (const lang of ['en', 'zh']) {
    flushDb(102);
    // The vote's entries and ballots as members' sessions leave them (tests/blackbox/test_votes.py casts them over HTTP).
    const redis = (...args) => execFileSync('redis-cli', ['-p', String(redisPort()), '-n', '102', ...args]);
    const now = Math.floor(testNow() / 1000);
    for (const pid of ['ann', 'bob']) redis('HSET', 'lb:{camp}:vote:talk:entries', pid, JSON.stringify({ participant: pid, url: `https://example.org/${pid}`, title: pid, handed_at: now - 86400 }));
    const people = { 'M-1': ['Mei', now - 30 * 86400], 'M-2': ['Kai', now - 3600], 'M-3': ['Lu', now - 20 * 86400] };
    for (const [id, [name, joined]] of Object.entries(people)) redis('HSET', 'lb:{community}:people', id, JSON.stringify({ id, name, registered_at: joined, approved_at: joined, memberships: [] }));
    const ballots = [['M-1', ['ann'], now - 600, '10.0.0.1'], ['M-2', ['bob', 'ann'], now - 100, '10.0.0.9'], ['M-3', ['ann', 'bob'], now - 96, '10.0.0.9']];
    for (const [voter, entries, at, client] of ballots) redis('HSET', 'lb:{camp}:vote:talk:ballots', voter, JSON.stringify({ voter, entries, cast_at: at, client }));
    redis('SET', 'lb:{camp}:vote:talk:version', '3');
    const server = await startServer(writeConfig(document), redisUrl(102), { env: { LB_JUDGE_ANA: JUDGES.ana, LB_JUDGE_BO: JUDGES.bo } });
    try {
      await waitReady(server.base);
      const { page, failed } = await signIn(browser, server.base, ADMIN_TOKEN, { lang });
      await page.click('#tabs button[data-tab="judging"]');
      await page.locator('#vote-ballots tr[data-voter="M-2"]').waitFor();
      assert.equal(await page.textContent('#vote-ballots h3'), lang === 'en' ? 'Vote: Video talk (3 counted)' : '投票：视频讲解（计入 3 张）');
      const signals = await page.$$eval('#vote-ballots tr[data-voter]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.voter, r.querySelector('.flags').textContent])));
      assert.equal(signals['M-1'], '—');
      assert.equal(signals['M-3'], lang === 'en' ? '2 ballots from this address · an identical ballot within 10 s' : '同一地址 2 张选票 · 10 秒内有相同选票');
      assert.ok(signals['M-2'].includes(lang === 'en' ? 'joined after the vote opened' : '投票开始后才加入'), signals['M-2']);
      assert.equal(await page.textContent('#vote-ballots tr[data-voter="M-2"] td'), 'KaiM-2');
      // Every cell drawn whole inside the window (a voter's name, the ballot, the signals).
      const cut = await page.$$eval('#vote-ballots td', (cells) => cells.filter((c) => {
        const r = c.getBoundingClientRect();
        return c.scrollWidth > c.clientWidth + 1 || r.left < 0 || r.right > innerWidth + 0.5;
      }).map((c) => c.textContent));
      assert.deepEqual(cut, []);
      await snap(page, `console-vote-ballots-${lang}.png`, true);
      await page.fill('#vote-ballots tr[data-voter="M-2"] input.reason', lang === 'en' ? 'joined the day of the vote, same address as Lu' : '投票当天加入，与 Lu 同一地址');
      await page.click('#vote-ballots tr[data-voter="M-2"] button.danger');
      await page.waitForFunction(() => document.querySelector('#vote-ballots h3')?.textContent.match(/2 counted|计入 2 张/));
      assert.match(await page.textContent('#vote-ballots tr[data-voter="M-2"]'), lang === 'en' ? /voided: joined the day/ : /已作废：投票当天加入/);
      const audit = await api(server.base, 'GET', '/api/contests/camp/audit');
      assert.ok(JSON.stringify(audit.body).includes('void_ballot'), JSON.stringify(audit.body).slice(0, 300));
      await snap(page, `console-vote-voided-${lang}.png`, true);
      assert.deepEqual(failed, []);
      await page.context().close();
    } finally {
      await server.stop();
    }
  }
});

test('a finalized contest issues certificates; the console lists them; each prints to one A4 page with its QR code (en and zh)', async () => {
  const document = (endsAt) => {
    const d = config();
    d.contests = [{ ...d.contests[1], id: 'camp-final', ends_at: endsAt,
      title: { en: 'Spring training camp of the Huazhong University of Science and Technology chapter', zh: '华中科技大学分会春季训练营' },
      branding: undefined, rules: { components: [{ id: 'project', name: { en: 'Project', zh: '项目' }, max: 100 }] },
      participants: [...d.contests[1].participants.slice(0, 3), { id: 'long', name: '上海交通大学闵行校区的参赛者', teams: ['shanghai'] }] }];
    return d;
  };
  flushDb(104);
  execFileSync('redis-cli', ['-p', String(redisPort()), '-n', '104', 'DEL', 'lb:{certificates}:records', 'lb:{certificates}:contest:camp-final']);
  const file = writeConfig(document(iso(1)));
  const server = await startServer(file, redisUrl(104), { env: { LB_JUDGE_ANA: JUDGES.ana, LB_JUDGE_BO: JUDGES.bo } });
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    assert.equal((await api(server.base, 'PUT', '/api/contests/camp-final/components/project', { long: 99, ann: 80, bob: 70, octo: 10 })).status, 200);
    fs.writeFileSync(file, JSON.stringify(document(iso(-0.001))));
    assert.equal((await api(server.base, 'POST', '/api/config/reload')).status, 200);
    const final = await api(server.base, 'POST', '/api/contests/camp-final/finalize', {});
    assert.equal(final.body.certificates, 3, JSON.stringify(final.body));
    const { page, failed } = await signIn(browser, server.base, ADMIN_TOKEN, { contest: 'camp-final' });
    await page.click('#tabs button[data-tab="points"]');
    await page.locator('#certificates tr[data-certificate]').first().waitFor();
    const listed = await page.$$eval('#certificates tr[data-certificate]', (rows) => rows.map((r) => [r.dataset.certificate, r.children[1].textContent]));
    assert.deepEqual(listed.map(([, name]) => name), ['上海交通大学闵行校区的参赛者', 'Ann', 'Bob']);
    const exported = await api(server.base, 'GET', '/api/contests/camp-final/standings?board=participants');
    assert.deepEqual(exported.body.certificates.map((c) => c.id), listed.map(([id]) => id));
    for (const lang of ['en', 'zh']) {
      const [id] = listed[0];
      const sheet = await browser.newPage({ viewport: { width: 794, height: 1123 } });
      sheet.on('pageerror', (e) => failed.push(String(e)));
      await sheet.goto(`${server.base}/certificates/${id}?lang=${lang}`);
      await sheet.waitForFunction(() => document.body.dataset.ready === '1' && document.querySelector('#qr').naturalWidth > 0);
      assert.equal(await sheet.textContent('#name'), '上海交通大学闵行校区的参赛者');
      assert.equal(await sheet.textContent('#title'), lang === 'en' ? 'Champion' : '冠军');
      assert.equal(await sheet.textContent('#hash'), exported.body.certificates[0].hash);
      // Every line drawn whole inside the sheet, on screen and as printed.
      const cut = await sheet.$$eval('#sheet p, #sheet h1', (nodes) => {
        const box = document.querySelector('#sheet').getBoundingClientRect();
        return nodes.filter((n) => n.textContent && (n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().right > box.right + 0.5 ||
          n.getBoundingClientRect().left < box.left - 0.5)).map((n) => n.id);
      });
      assert.deepEqual(cut, []);
      await sheet.screenshot({ path: path.join(ARTIFACTS, `certificate-${lang}.png`), fullPage: true });
      await sheet.emulateMedia({ media: 'print' });
      await sheet.screenshot({ path: path.join(ARTIFACTS, `certificate-print-${lang}.png`) });  // the A4 page as printed
      const pdf = await sheet.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      fs.writeFileSync(path.join(ARTIFACTS, `certificate-${lang}.pdf`), pdf);
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.equal(pages, 1, `the certificate printed to ${pages} pages`);
      await sheet.close();
    }
    assert.deepEqual(failed, []);
    await page.context().close();
  } finally {
    await server.stop();
  }
});
