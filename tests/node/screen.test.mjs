// The big screen and the phone in a real browser (Debian's chromium, playwright-core): every
// view by contest kind at 1280x720, 1920x1080, 3840x2160 (?screen=1) and 390x844 (the phone
// view), in both languages, with what is on each picture asserted and every total, cell, name
// and chip measured drawn whole (long real chapter names, three components, four models); a moment after a first
// reproduction; a stage reveal stepped on one screen and followed by another; a phone that
// finds a person, pins the row and shares it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ADMIN_TOKEN, cutOnPage, deliver, flushDb, mergedPr, redisPort, redisUrl, sharedBrowser, startServer, waitReady, writeConfig, isoIn, testNow } from './lib.mjs';

const ARTIFACTS = process.env.LB_ARTIFACTS_DIR ?? fs.mkdtempSync('/tmp/lb-artifacts-');
const iso = isoIn;
const SIZES = [[1280, 720], [1920, 1080], [3840, 2160], [390, 844]];
const LANGS = ['en', 'zh'];

const teams = [
  { id: 'beijing', name: { en: 'Beijing', zh: '北京' }, kind: 'city' },
  { id: 'shanghai', name: { en: 'Shanghai', zh: '上海' }, kind: 'city' },
  { id: 'shenzhen', name: { en: 'Shenzhen', zh: '深圳' }, kind: 'city' },
  { id: 'pku', name: { en: 'Peking University', zh: '北京大学' }, kind: 'school' },
  { id: 'zju', name: { en: 'Zhejiang University', zh: '浙江大学' }, kind: 'school' },
  { id: 'sjtu', name: { en: 'SJTU Minhang Campus', zh: '上海交通大学闵行校区' }, kind: 'school' },
  { id: 'hust', name: { en: 'Huazhong Univ. of Science and Technology', zh: '华中科技大学' }, kind: 'school' },
];
const people = [['ann', 'Ann', ['beijing', 'pku']], ['bo', '薄一', ['shanghai', 'zju']], ['cy', 'Cy', ['shenzhen']],
  ['di', '迪丽', ['beijing', 'zju']], ['ed', 'Ed', ['shanghai', 'pku']], ['fu', '傅', ['shenzhen', 'zju']],
  ['gu', 'Alexandria Oyelaran', ['shanghai', 'sjtu']], ['ha', '欧阳明日上官飞燕慕容', ['shenzhen', 'hust']]];
const participants = people.map(([id, name, t]) => ({ id, name, github: `${id}-gh`, teams: t }));
const models = [{ id: 'resnet', name: { en: 'ResNet-50', zh: 'ResNet-50 图像' }, points: 100, metric: 'top1', target: 0.76, tolerance: 0.01, first_bonus: 50 },
  { id: 'bert', name: 'BERT-base', points: 120, metric: 'f1', target: 0.88, tolerance: 0.01, first_bonus: 60 },
  { id: 'yolo', name: { en: 'YOLOv5-s', zh: 'YOLOv5-s 检测' }, points: 80, metric: 'map50', target: 0.56, tolerance: 0.01, first_bonus: 40 },
  { id: 'vit', name: { en: 'ViT-B', zh: 'ViT-B 视觉' }, points: 90, metric: 'top1', target: 0.81, tolerance: 0.01, first_bonus: 45 }];
const components = [{ id: 'homework', name: { en: 'Homework', zh: '课后作业' }, weight: 0.3, max: 100 },
  { id: 'advanced', name: { en: 'Advanced homework', zh: '进阶作业' }, weight: 0.2, max: 100 },
  { id: 'project', name: { en: 'Final project', zh: '结业项目' }, weight: 0.5, max: 100 }];

function config(brandingDir) {
  const window = { starts_at: iso(-2), ends_at: iso(30), repos: ['github:Codertocat/Hello-World'], teams, participants };
  return {
    admin_token_env: 'LB_ADMIN_TOKEN', branding_dir: brandingDir,
    webhooks: { github: { secret_env: 'LB_GITHUB_SECRET' } },
    contests: [
      { id: 'bash', title: { en: 'City bug bash', zh: '城市 Bug 大扫除' }, ...window,
        branding: { color: '#e11d48', logo: 'bash.svg', teams: { beijing: { color: '#f43f5e' }, shanghai: { color: '#38bdf8' } } },
        screen: { race: ['teams:city', 'teams:school'], rotate_seconds: 5 },
        rules: { pull_requests: { base_points: 1, label_points: { bug: 10 } } } },
      { id: 'repro', title: { en: 'Reproduction sprint', zh: '复现冲刺' }, ...window, rules: { reproductions: { models } } },
      { id: 'camp', title: { en: 'Training camp', zh: '训练营' }, ...window, rules: { components } },
      { id: 'vote', title: { en: 'Learning notes vote', zh: '学习笔记投票' }, ...window, rules: { components: [
        { id: 'notes', kind: 'votes', name: { en: 'Learning notes, public vote', zh: '学习笔记大众投票' }, max: 100, vote: { opens_at: iso(-1), closes_at: iso(-0.5), k: 3 } }] } },
    ],
  };
}

async function api(base, method, route, body, token = ADMIN_TOKEN) {
  const response = await fetch(`${base}${route}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function submit(base, pid, model, metric, value) {
  const token = (await api(base, 'POST', `/api/contests/repro/participants/${pid}/tokens`, {})).body.token;
  return (await api(base, 'POST', '/api/contests/repro/submissions', { model, metrics: { [metric]: value }, evidence_url: `https://example.org/${pid}` }, token)).body.id;
}

async function accept(base, sid, measured) {
  const done = await api(base, 'POST', `/api/contests/repro/submissions/${sid}/verdict`, { accepted: true, measured, reason: 're-ran it' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
}

async function open(browser, base, query, [width, height], failures) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => failures.push(String(e)));
  page.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`${base}/?${query}`);
  try {
    await page.waitForSelector('#rows li', { timeout: 60000 });
  } catch (error) {
    // Say what the page saw: its status line (a store error, "reconnecting") and its faults.
    const status = await page.textContent('#status').catch(() => '?');
    throw new Error(`${query} at ${width}x${height}: no rows; status "${status}"; faults ${JSON.stringify(failures)}: ${error.message}`);
  }
  return page;
}

// Once rows and bars have settled: nothing cut, then the picture.
async function snap(page, name) {
  await page.waitForFunction(() => document.querySelector('#board-grid').dataset.fit !== undefined &&
    document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 10000 });
  assert.deepEqual(await cutOnPage(page, '#heading, #rows li, #race li'), [], `cut on ${name}`);
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

const text = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent));

// A closed vote as its members left it (tests/blackbox/test_votes.py casts ballots over HTTP):
// gu 5 votes, ha 4, ann 2, bo 1, so 100, 80, 40 and 20 points once the tally pass has run.
function seedVote(db) {
  const redis = (...args) => execFileSync('redis-cli', ['-p', String(redisPort()), '-n', String(db), ...args]);
  const at = Math.floor(testNow() / 1000) - 86400;
  for (const pid of ['ann', 'bo', 'gu', 'ha'])
    redis('HSET', 'lb:{vote}:vote:notes:entries', pid, JSON.stringify({ participant: pid, url: `https://example.org/${pid}`, title: `${pid} notes`, handed_at: at - 3600 }));
  const ballots = [['gu', 'ha', 'ann'], ['gu', 'ha'], ['gu', 'ha', 'bo'], ['gu', 'ann'], ['gu', 'ha']];
  ballots.forEach((entries, n) => redis('HSET', 'lb:{vote}:vote:notes:ballots', `M-${n}`, JSON.stringify({ voter: `M-${n}`, entries, cast_at: at + n, client: '' })));
  redis('SET', 'lb:{vote}:vote:notes:version', String(ballots.length));
}

async function seed(base, db) {
  seedVote(db);
  const prs = [['ann-gh', ['bug']], ['ann-gh', ['bug']], ['bo-gh', ['bug']], ['cy-gh', []], ['di-gh', ['bug']], ['ed-gh', []],
    ['fu-gh', ['bug']], ['ann-gh', []], ['bo-gh', ['bug']], ['di-gh', []], ['cy-gh', ['bug']], ['ed-gh', ['bug']],
    ['gu-gh', []], ['gu-gh', []], ['ha-gh', []]];
  let n = 0;
  for (const [author, labels] of prs) {
    n += 1;
    const done = await deliver(base, mergedPr({ number: n, author, labels, mergedAt: new Date(testNow() - (20 - n) * 3600e3).toISOString() }));
    assert.equal(done.status, 200, JSON.stringify(done.body));
  }
  await accept(base, await submit(base, 'ann', 'resnet', 'top1', 0.761), 0.761);
  await accept(base, await submit(base, 'bo', 'resnet', 'top1', 0.759), 0.758);
  await accept(base, await submit(base, 'bo', 'bert', 'f1', 0.881), 0.881);
  await accept(base, await submit(base, 'cy', 'resnet', 'top1', 0.76), 0.76);
  await submit(base, 'cy', 'bert', 'f1', 0.879);  // stays pending
  await accept(base, await submit(base, 'gu', 'bert', 'f1', 0.882), 0.882);
  await accept(base, await submit(base, 'ha', 'resnet', 'top1', 0.762), 0.762);
  assert.equal((await api(base, 'PUT', '/api/contests/camp/components/homework', { ann: 90, bo: 75, cy: 60, di: 88, gu: 97.5, ha: 81 })).status, 200);
  assert.equal((await api(base, 'PUT', '/api/contests/camp/components/advanced', { ann: 80, bo: 85, cy: 70, di: 90, gu: 100, ha: 95 })).status, 200);
  assert.equal((await api(base, 'PUT', '/api/contests/camp/components/project', { ann: 70, bo: 95, cy: 80, di: 66, gu: 88.5, ha: 92 })).status, 200);
}

// A server with the three contests seeded, a browser, and the page faults seen meanwhile.
async function seeded(db, body) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(db);
  const brandingDir = fs.mkdtempSync('/tmp/lb-branding-');
  fs.writeFileSync(path.join(brandingDir, 'bash.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#e11d48"/></svg>');
  fs.writeFileSync(path.join(brandingDir, 'secret.txt'), 'not a logo');
  const server = await startServer(writeConfig(config(brandingDir)), redisUrl(db));
  const browser = await sharedBrowser();
  const failures = [];
  try {
    await waitReady(server.base);
    await seed(server.base, db);
    await body({ server, browser, failures });
    assert.deepEqual(failures, []);
  } finally {
    await server.stop();
  }
}

test('every view at 1080p, 4K and on a phone, in both languages, shows what its contest kind needs', () => seeded(64, async ({ server, browser, failures }) => {
  // Logos: only the ones the config names, with an image type.
  const logo = await fetch(`${server.base}/branding/bash.svg`);
  assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
  assert.match(logo.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal((await fetch(`${server.base}/branding/secret.txt`)).status, 404);

  for (const lang of LANGS) {
    const zh = lang === 'zh';
    for (const size of SIZES) {
      const phone = size[0] < 600;
      const tag = `${lang}-${size[0]}x${size[1]}`;
      const screen = phone ? '' : '&screen=1';

      // A bug bash: the race of cities beside the individuals with their chapters and PR counts.
      let page = await open(browser, server.base, `contest=bash&lang=${lang}${screen}`, size, failures);
      await page.waitForFunction(() => document.querySelector('#rows li .cells .cell')?.textContent !== '' || document.body.classList.contains('phone'));
      const annRow = '#rows li[data-id="ann"]';
      assert.equal(await page.textContent(`${annRow} .name`), 'Ann');
      assert.deepEqual(await text(page, `${annRow} .chip`), zh ? ['北京', '北京大学'] : ['Beijing', 'Peking University']);
      assert.equal(await page.textContent(`${annRow} .points`), '23');
      if (phone) {
        assert.equal(await page.isVisible('#finder'), true);
        assert.equal(await page.isVisible(`${annRow} .cells`), false);
        assert.equal(await page.isVisible('#race-panel'), false);
      } else {
        assert.equal(await page.textContent(`${annRow} .cell.count`), '3');
        await page.waitForFunction(() => document.querySelectorAll('#race li').length === 3);
        assert.deepEqual(await text(page, '#race li .name'), zh ? ['上海', '北京', '深圳'] : ['Shanghai', 'Beijing', 'Shenzhen']);
        assert.equal(await page.textContent('#race li[data-id="beijing"] .points'), '35');
        assert.equal(await page.textContent('#race li[data-id="beijing"] .members'), zh ? '2 人' : '2 members');
        assert.equal(await page.textContent('#race-title'), zh ? '城市' : 'Cities');
        await page.waitForFunction(() => document.querySelector('#qr')?.complete && document.querySelector('#qr').naturalWidth > 0);
        const qr = await page.$eval('#qr', (e) => e.getBoundingClientRect().width);
        assert.ok(qr >= size[0] / 12, `QR ${qr}px on a ${size[0]}px screen`);
        const logoShown = await page.$eval('#logo', (e) => !e.hidden && e.naturalWidth > 0);
        assert.ok(logoShown);
        // Filling the screen: the rows reach the bottom of their panel, in big type.
        const fill = await page.evaluate(() => {
          const panel = document.querySelector('#board-panel').getBoundingClientRect();
          const last = [...document.querySelectorAll('#rows li')].pop().getBoundingClientRect();
          return { gap: panel.bottom - last.bottom, font: parseFloat(getComputedStyle(document.querySelector('#rows li .name')).fontSize) };
        });
        assert.ok(fill.gap < size[1] * 0.45, `rows leave ${fill.gap}px empty`);
        assert.ok(fill.font >= size[0] / 60, `font ${fill.font}px on a ${size[0]}px screen`);
      }
      await snap(page, `screen-bash-${tag}.png`);
      await page.close();

      // A reproduction contest: participants x models, the first reproduction marked, pending shown.
      page = await open(browser, server.base, `contest=repro&lang=${lang}${screen}`, size, failures);
      if (!phone) {
        await page.waitForSelector('#rows li[data-id="ann"] .cell.first');
        assert.deepEqual(await text(page, '#heading .cell'), zh ? ['ResNet-50 图像', 'BERT-base', 'YOLOv5-s 检测', 'ViT-B 视觉'] : ['ResNet-50', 'BERT-base', 'YOLOv5-s', 'ViT-B']);
        assert.match(await page.textContent('#rows li[data-id="ann"] .cell.first'), /^✓ /);
        assert.equal(await page.$eval('#rows li[data-id="bo"] .cell.model:nth-child(1)', (e) => e.className), 'cell model solved');
        assert.equal(await page.$eval('#rows li[data-id="bo"] .cell.model:nth-child(2)', (e) => e.classList.contains('first')), true);
        assert.equal(await page.textContent('#rows li[data-id="cy"] .cell.pending'), zh ? '待审' : 'pending');
        assert.equal(await page.$$eval('#rows .cell.first', (els) => els.length), 2);
      }
      await snap(page, `screen-repro-${tag}.png`);
      await page.close();

      // A training camp: each judged component with its name and weight, and the weighted total.
      page = await open(browser, server.base, `contest=camp&lang=${lang}${screen}`, size, failures);
      if (!phone) {
        await page.waitForFunction(() => document.querySelector('#rows li[data-id="ann"] .cell.score')?.textContent === '90');
        assert.deepEqual(await text(page, '#heading .cell'), zh ? ['课后作业 ×0.3', '进阶作业 ×0.2', '结业项目 ×0.5']
          : ['Homework ×0.3', 'Advanced homework ×0.2', 'Final project ×0.5']);
        assert.equal(await page.textContent('#heading .points'), zh ? '加权总分' : 'Weighted total');
        assert.equal(await page.textContent('#rows li[data-id="bo"] .points'), '87');  // 0.3*75 + 0.2*85 + 0.5*95
        assert.equal(await page.textContent('#rows li[data-id="gu"] .points'), '93.5');
      } else {
        // The phone's tabs name the judged boards by the config's names, in the page's language.
        assert.deepEqual((await text(page, '#tabs button')).slice(-3), zh ? ['课后作业', '进阶作业', '结业项目'] : ['Homework', 'Advanced homework', 'Final project']);
      }
      // The ticker speaks the page's language: a judged score names its component.
      await page.waitForFunction(() => document.querySelectorAll('#ticker .event').length > 0);
      assert.match(await page.textContent('#ticker .event'), zh ? /· 评审 (课后作业|进阶作业|结业项目) ·/ : /· Judged (Homework|Advanced homework|Final project) ·/);
      await snap(page, `screen-camp-${tag}.png`);
      await page.close();

      // A vote: the component named by the config, each entry's points by its share of the most votes.
      page = await open(browser, server.base, `contest=vote&lang=${lang}${screen}`, size, failures);
      await page.waitForFunction(() => document.querySelector('#rows li[data-id="ha"] .points')?.textContent === '80');
      assert.equal(await page.textContent('#rows li[data-id="gu"] .points'), '100');
      assert.equal(await page.textContent('#rows li[data-id="bo"] .points'), '20');
      if (!phone) assert.deepEqual(await text(page, '#heading .cell'), [zh ? '学习笔记大众投票 ×1' : 'Learning notes, public vote ×1']);
      await snap(page, `screen-vote-${tag}.png`);
      await page.close();
    }
  }

  // A window too narrow for the whole row: the board gives way (headings, chips under the
  // name, smaller type) and keeps giving way as a total grows from one digit to five.
  for (const lang of LANGS) {
    const page = await open(browser, server.base, `contest=camp&lang=${lang}&screen=1`, [1024, 600], failures);
    await page.waitForFunction(() => document.querySelector('#rows li[data-id="gu"] .cell.score')?.textContent === '97.5');
    await snap(page, `screen-camp-${lang}-1024x600.png`);
    await page.close();
  }
  // On a desktop window of 640 px the camp's name and chips cannot share a line with three components.
  const camp = await open(browser, server.base, 'contest=camp&lang=en', [640, 700], failures);
  await camp.waitForFunction(() => document.querySelector('#rows li[data-id="gu"] .cell.score')?.textContent === '97.5');
  await snap(camp, 'desktop-camp-en-640x700.png');
  assert.equal(await camp.$eval('#board-grid', (e) => e.classList.contains('stacked')), true);
  await camp.close();
  const desk = await open(browser, server.base, 'contest=bash&lang=en', [640, 700], failures);
  await desk.waitForSelector('#rows li[data-id="ha"]');
  await snap(desk, 'desktop-bash-en-640x700.png');
  const adjusted = await api(server.base, 'POST', '/api/contests/bash/adjustments', { participant: 'ha', points: 98765, reason: 'a very big fix' });
  assert.equal(adjusted.status, 201, JSON.stringify(adjusted.body));
  await desk.waitForFunction(() => document.querySelector('#rows li[data-id="ha"] .points')?.textContent === '98766');
  await snap(desk, 'desktop-bash-en-640x700-grown.png');
  await desk.close();
}));

test('a first reproduction brings a moment; the race rotates; a reveal stepped on one screen is followed by another', () => seeded(65, async ({ server, browser, failures }) => {
  for (const lang of LANGS) {
    const zh = lang === 'zh';
    const screen = await open(browser, server.base, `contest=repro&screen=1&lang=${lang}`, [1920, 1080], failures);
    // A first reproduction (it may queue behind "enters the top 3", raised by the same award).
    const [pid, model, metric, value, name] = zh ? ['fu', 'vit', 'top1', 0.811, 'ViT-B 视觉'] : ['di', 'yolo', 'map50', 0.561, 'YOLOv5-s'];
    await accept(server.base, await submit(server.base, pid, model, metric, value), value);
    const expected = zh ? `${name} 首个复现：${pid === 'fu' ? '傅' : '迪丽'}` : `First reproduction of ${name}: 迪丽`;
    await screen.waitForFunction((t) => !document.querySelector('#moment').hidden && document.querySelector('#moment').textContent === t,
      expected, { timeout: 10000 });
    // The ticker names the model in the page's language.
    assert.match(await screen.textContent('#ticker'), zh ? /深圳 \+45 · 首个复现 ViT-B 视觉 · 傅/ : /Beijing \+40 · First reproduction YOLOv5-s · 迪丽/);
    await snap(screen, `moment-first-${lang}.png`);
    await screen.waitForSelector('#moment[hidden]', { state: 'attached', timeout: 15000 });  // the queue empties: the board is not held
    await screen.close();
    // ?moments=0 turns them off.
    const quiet = await open(browser, server.base, `contest=bash&screen=1&moments=0&lang=${lang}`, [1920, 1080], failures);
    await deliver(server.base, mergedPr({ number: zh ? 901 : 900, author: 'cy-gh', labels: ['bug'], mergedAt: new Date(testNow()).toISOString() }));
    await quiet.waitForTimeout(1200);
    assert.equal(await quiet.isVisible('#moment'), false);
    // The race rotates to the next chapter kind, as the config says (every 5 s).
    assert.equal(await quiet.textContent('#race-title'), zh ? '城市' : 'Cities');
    await quiet.waitForFunction((t) => document.querySelector('#race-title').textContent === t, zh ? '高校' : 'Schools', { timeout: 8000 });
    await quiet.waitForFunction(() => document.querySelectorAll('#race li').length === 4);
    await quiet.close();
  }

  // The stage reveal: the presenter's screen steps, the second screen follows the same step.
  const presenter = await open(browser, server.base, 'contest=bash&screen=1&lang=en', [1920, 1080], failures);
  const follower = await open(browser, server.base, 'contest=bash&screen=1&lang=zh', [1920, 1080], failures);
  // Frozen: a banner on every screen, then the unfreeze the reveal follows.
  assert.equal((await api(server.base, 'POST', '/api/contests/bash/freeze', { reason: 'finals' })).status, 200);
  await follower.waitForSelector('#freeze-banner:not([hidden])', { timeout: 3000 });
  assert.equal(await follower.textContent('#freeze-banner'), '榜单已冻结：最终排名将在颁奖现场揭晓。');
  assert.equal(await presenter.textContent('#status'), 'Frozen');
  await snap(follower, 'screen-frozen-zh.png');
  assert.equal((await api(server.base, 'POST', '/api/contests/bash/unfreeze', { reason: 'awards' })).status, 200);
  await follower.waitForSelector('#freeze-banner[hidden]', { state: 'attached', timeout: 3000 });
  presenter.on('dialog', (d) => d.accept(ADMIN_TOKEN));
  await presenter.keyboard.press('p');
  await presenter.waitForSelector('#presenter:not([hidden])');
  assert.equal(await follower.isVisible('#presenter'), false);
  await presenter.keyboard.press('s');
  for (const page of [presenter, follower]) {
    await page.waitForSelector('#reveal-banner:not([hidden])');
    await page.waitForFunction(() => document.querySelectorAll('#rows li.hidden-row').length === 8);
  }
  assert.deepEqual(await text(follower, '#rows li .name'), Array(8).fill('？？？'));
  await presenter.keyboard.press('ArrowRight');
  await presenter.keyboard.press('ArrowRight');
  for (const page of [presenter, follower]) {
    await page.waitForFunction(() => document.body.dataset.revealStep === '2');
    assert.equal(await page.$$eval('#rows li.hidden-row', (els) => els.length), 6);
    assert.equal(await page.$eval('#rows li.just-revealed', (e) => e.dataset.rank), '7');
  }
  const revealed = await text(follower, '#rows li:not(.hidden-row) .name');
  assert.equal(revealed.length, 2);
  assert.ok(!revealed.includes('？？？'));
  await snap(presenter, 'reveal-presenter-en.png');
  await snap(follower, 'reveal-follower-zh.png');
  // Without the token nobody else can step it.
  assert.equal((await fetch(`${server.base}/api/contests/bash/reveal`, { method: 'POST', body: '{"action":"next"}' })).status, 401);
  await presenter.keyboard.press('Escape');
  await follower.waitForSelector('#reveal-banner[hidden]', { state: 'attached' });
  assert.equal(await follower.$$eval('#rows li.hidden-row', (els) => els.length), 0);
}));

test('a phone finds a person by name or login, pins the row, lists the awards behind it and shares a link', () => seeded(66, async ({ server, browser, failures }) => {
  for (const lang of LANGS) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => failures.push(String(e)));
    const sent = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(JSON.parse(f.payload))));
    await page.goto(`${server.base}/?contest=bash&lang=${lang}`);
    await page.waitForSelector('#rows li');
    assert.equal(await page.isVisible('#me'), false);
    await page.fill('#find', lang === 'en' ? 'ED-G' : '迪');  // a login, case-insensitive; a name
    await page.waitForSelector('#found li button');
    const id = lang === 'en' ? 'ed' : 'di';
    assert.equal(await page.getAttribute('#found li button', 'data-id'), id);
    await page.click('#found li button');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#me .rank').textContent));
    assert.equal(await page.textContent('#me .name'), lang === 'en' ? 'Ed' : '迪丽');
    assert.match(page.url(), new RegExp(`me=${id}`));
    // The pin outlives a reload (the link without ?me= still shows the row).
    await page.goto(`${server.base}/?contest=bash&lang=${lang}`);
    await page.waitForFunction(() => document.querySelector('#me .name')?.textContent !== '');
    assert.equal(await page.isVisible('#unpin'), true);
    await page.click('#my-awards');
    await page.waitForSelector('#detail:not([hidden]) #detail-awards li.award');
    const awards = await text(page, '#detail-awards li.award .kind');
    assert.ok(awards.length >= 2 && awards.every((k) => k === (lang === 'en' ? 'PR' : '合并请求')), awards.join(','));
    await snap(page, `phone-awards-${lang}.png`);
    await page.click('#detail-close');
    await page.click('#share');
    await page.waitForSelector('#share-link:not([hidden])');
    assert.match(await page.textContent('#share-link'), new RegExp(`/\\?contest=bash&me=${id}$`));
    await snap(page, `phone-pinned-${lang}.png`);
    // Light on data: the phone asks for the rows it shows, its own row and a short ticker.
    const subscription = sent.filter((m) => m.type === 'subscribe').pop();
    assert.deepEqual([subscription.limit, subscription.events, subscription.me], [20, 3, id]);
    await context.close();
  }
}));
