// Signing in with a code host from the join page, in Chromium at phone size and in both
// languages, against the local OAuth stand-in (tests/blackbox/oauth_standin.py): the visitor taps
// "Sign in with GitHub", comes back signed in with the login filled and locked, signs up and is
// approved at once (approval "unless_proven") and finds the outcome when they come back; the board's phone view shows them signed in with
// their own row; then they sign out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cutOnPage, flushDb, redisUrl, sharedBrowser, startServer, waitReady, writeConfig, isoIn } from './lib.mjs';

const ARTIFACTS = process.env.LB_ARTIFACTS_DIR ?? fs.mkdtempSync('/tmp/lb-artifacts-');
const STANDIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'blackbox', 'oauth_standin.py');
const iso = isoIn;

async function startStandIn(login) {
  const child = spawn('python3', [STANDIN, 'github', '4100', login], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const nextLine = () => new Promise((resolve) => lines.once('line', resolve));
  const base = await nextLine();
  let nextId = 4200;
  // Who signs in next: another account of the same host (the stand-in answers once it is set).
  const setUser = async (name) => {
    const answered = nextLine();
    child.stdin.write(`${name} ${nextId += 1}\n`);
    await answered;
  };
  return { base, setUser, stop: () => child.stdin.end() };
}

function config(standin, login) {
  return {
    admin_token_env: 'LB_ADMIN_TOKEN',
    community: {
      id_prefix: 'JOIN-', approval: 'unless_proven',
      sign_in: { github: { client_id: 'github-app', client_secret_env: 'LB_GITHUB_OAUTH_SECRET', authorize_url: `${standin}/github/authorize`,
        token_url: `${standin}/github/token`, api_url: `${standin}/github/api` } },
    },
    contests: [{ id: 'week', title: { en: 'Week', zh: '周赛' }, starts_at: iso(-1), ends_at: iso(7), repos: ['github:octo-org/spring'],
      teams: [{ id: 'sh', name: { en: 'Shanghai', zh: '上海' }, kind: 'city' }],
      participants: [{ id: 'mei', name: 'Mei', github: login, teams: ['sh'] }, { id: 'lu', name: 'Lu', github: 'lu-gh', teams: ['sh'] }],
      rules: { components: [{ id: 'homework', name: { en: 'Homework', zh: '课后作业' }, max: 100, submissions: { assignments: [
        { id: 'w1', name: { en: 'Week 1', zh: '第一周' }, opens_at: iso(-1), due_at: iso(2) },
        { id: 'w2', name: { en: 'Week 2', zh: '第二周' }, opens_at: iso(3), due_at: iso(6) }] } }] } }],
    judges: [{ id: 'ana', token_env: 'LB_JUDGE_ANA' }],
  };
}

// Every text of the box drawn whole inside the phone's width.
async function drawnWhole(page, selector) {
  return page.$$eval(selector, (nodes) => nodes.filter((n) => n.offsetParent !== null).map((n) => {
    const r = n.getBoundingClientRect();
    return { text: n.textContent, inside: r.left >= 0 && r.right <= window.innerWidth + 0.5, clipped: n.scrollWidth > n.clientWidth + 1 };
  }));
}

test('a visitor signs in with GitHub from the join page, signs up proven and signs out (phone, en and zh)', async () => {
  const browser = await sharedBrowser();
  for (const lang of ['en', 'zh']) {
    flushDb(68);
    const login = `proven-${lang}`;
    const standin = await startStandIn(login);
    const server = await startServer(writeConfig(config(standin.base, login)), redisUrl(68),
      { env: { LB_ADMIN_TOKEN: 'join-admin', LB_GITHUB_OAUTH_SECRET: 'gh-secret', LB_JUDGE_ANA: 'judge-ana' } });
    try {
      await waitReady(server.base);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
      const page = await context.newPage();
      const failed = [];
      page.on('pageerror', (e) => failed.push(String(e)));
      await page.goto(`${server.base}/join.html?lang=${lang}`);
      const button = page.locator('#sign-in-hosts a[data-sign-in="github"]');
      await button.waitFor();
      assert.equal(await button.textContent(), lang === 'en' ? 'Sign in with GitHub' : '用 GitHub 登录');
      await page.screenshot({ path: path.join(ARTIFACTS, `join-sign-in-${lang}.png`), fullPage: true });
      await button.click();
      // Through the stand-in's authorize redirect and the callback, back to the join page.
      await page.waitForURL(`${server.base}/join.html?lang=${lang}`);
      await page.locator('#signed-in:not([hidden])').waitFor();
      assert.equal(await page.textContent('#signed-in-as'), `GitHub: ${login}`);
      assert.equal(await page.inputValue('input[name="github"]'), login);
      assert.equal(await page.getAttribute('input[name="github"]', 'readonly'), '');
      for (const box of await drawnWhole(page, '#session, #signed-in, #signed-in-as, #sign-out'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `join-signed-in-${lang}.png`), fullPage: true });
      await page.fill('input[name="name"]', lang === 'en' ? 'Proven Person' : '已证明的人');
      await page.click('#join button[type=submit]');
      await page.locator('#done:not([hidden])').waitFor();
      assert.equal(await page.textContent('#request-id'), 'JOIN-000001');  // the store is fresh for each language
      assert.equal(await page.textContent('#done h2'), lang === 'en' ? 'Welcome' : '欢迎加入');
      assert.equal(await page.textContent('#done .muted span'), lang === 'en' ? 'Community number' : '社区编号');
      for (const box of await drawnWhole(page, '#done h2, #done p, #request-id'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `join-approved-${lang}.png`), fullPage: true });
      // Opened again, the join page says what became of the sign-up it sent.
      await page.goto(`${server.base}/join.html?lang=${lang}`);
      await page.locator('#earlier:not([hidden])').waitFor();
      assert.equal(await page.textContent('#earlier-state'), lang === 'en' ? 'approved' : '已通过');
      assert.equal(await page.textContent('#earlier-detail'), lang === 'en' ? 'Your community number: JOIN-000001' : '你的社区编号：JOIN-000001');
      for (const box of await drawnWhole(page, '#earlier h2, #earlier p, #earlier-forget'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `join-earlier-${lang}.png`), fullPage: true });
      await page.click('#earlier-forget');
      await page.locator('#earlier[hidden]').waitFor({ state: 'attached' });
      assert.equal(await page.evaluate(() => localStorage.getItem('lb-sign-up')), null);
      // The board on the phone: who is signed in, and their own row without pinning it.
      for (const [participant, points] of [['mei', 5], ['lu', 9]]) {
        const given = await fetch(`${server.base}/api/contests/week/adjustments`, { method: 'POST',
          headers: { Authorization: 'Bearer join-admin', 'Content-Type': 'application/json' }, body: JSON.stringify({ participant, points, reason: 'seed' }) });
        assert.equal(given.status, 201);
      }
      await page.goto(`${server.base}/?contest=week&lang=${lang}`);
      await page.locator('#session:not([hidden])').waitFor();
      assert.equal(await page.textContent('#signed-in-as'), `${lang === 'en' ? 'Signed in as' : '已登录'} GitHub: ${login}`);
      await page.locator('#rows li.mine[data-id="mei"]').waitFor();
      await page.waitForFunction(() => !document.querySelector('#me').hidden && document.querySelector('#me .name').textContent === 'Mei');
      assert.equal(await page.$$eval('#rows li.mine', (els) => els.length), 1);
      for (const box of await drawnWhole(page, '#signed-in-as, #sign-out'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
      await page.screenshot({ path: path.join(ARTIFACTS, `board-signed-in-${lang}.png`) });
      // Their homework: hand in a link and a note from the phone, then see the judge's score.
      const w1 = page.locator('#homework li[data-assignment="homework:w1"]');
      await w1.waitFor();
      assert.equal(await w1.locator('.title').textContent(), lang === 'en' ? 'Homework · Week 1' : '课后作业 · 第一周');
      assert.match(await page.locator('#homework li[data-assignment="homework:w2"] .state').textContent(), lang === 'en' ? /^opens / : / 开放$/);
      await w1.locator('input[name="url"]').fill('javascript:alert(1)');
      await w1.locator('input[name="url"]').evaluate((input) => { input.type = 'text'; });  // past the browser's own check: the server's answer shows
      await w1.locator('button[type="submit"]').click();
      await page.locator('#homework li[data-assignment="homework:w1"] .problem').waitFor();
      assert.match(await page.locator('#homework li[data-assignment="homework:w1"] .problem').textContent(), lang === 'en' ? /http/ : /链接/);
      await page.locator('#homework li[data-assignment="homework:w1"] input[name="url"]').fill(`https://gitee.com/${login}/notes/w1`);
      await page.locator('#homework li[data-assignment="homework:w1"] input[name="note"]').fill(lang === 'en' ? 'ResNet run, 76.1%' : '复现 ResNet，76.1%');
      await page.locator('#homework li[data-assignment="homework:w1"] button[type="submit"]').click();
      await page.locator('#homework li[data-assignment="homework:w1"] .link').waitFor();
      assert.equal(await page.locator('#homework li[data-assignment="homework:w1"] .state').first().textContent(), lang === 'en' ? 'Handed in' : '已提交');
      const scored = await fetch(`${server.base}/api/contests/week/homework/homework:w1:mei/score`, { method: 'POST',
        headers: { Authorization: 'Bearer judge-ana', 'Content-Type': 'application/json' }, body: JSON.stringify({ points: 88, comment: lang === 'en' ? 'Clear' : '清楚' }) });
      assert.equal(scored.status, 200);
      await page.reload();
      await page.locator('#homework li[data-assignment="homework:w1"] .score').waitFor();
      assert.equal(await page.locator('#homework li[data-assignment="homework:w1"] .score').textContent(), lang === 'en' ? 'Scored 88 / 100' : '得分 88 / 100');
      assert.equal(await page.locator('#homework li[data-assignment="homework:w1"] form').count(), 0);  // scored work stays as judged
      for (const box of await drawnWhole(page, '#homework .title, #homework .due, #homework .state, #homework .score, #homework .comment, #homework .link'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `board-homework-${lang}.png`), fullPage: true });
      // Signing out ends the session on the server too.
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'lb_session');
      assert.ok(session && session.httpOnly && session.sameSite === 'Lax');
      // The member's profile shows who is signed in too, and signs them out.
      await page.goto(`${server.base}/people/JOIN-000001?lang=${lang}`);
      await page.locator('#signed-in:not([hidden])').waitFor();
      assert.equal(await page.textContent('#signed-in-as'), `GitHub: ${login}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `profile-signed-in-${lang}.png`), fullPage: true });
      await page.locator('#sign-out').click();
      await page.locator('#signed-in[hidden]').waitFor({ state: 'attached' });
      const after = await fetch(`${server.base}/api/session`, { headers: { Cookie: `lb_session=${session.value}` } });
      assert.equal((await after.json()).signed_in, false);
      assert.deepEqual(failed, []);
      await context.close();
    } finally {
      await server.stop();
      standin.stop();
    }
  }
});

function votingCamp(standin, login, opens, closes) {
  return {
    admin_token_env: 'LB_ADMIN_TOKEN',
    community: { id_prefix: 'VOTE-', approval: 'unless_proven', sign_in: config(standin, login).community.sign_in },
    contests: [{ id: 'camp', title: { en: 'Camp', zh: '训练营' }, starts_at: iso(-3), ends_at: iso(7), repos: [],
      teams: [{ id: 'sjtu', name: { en: 'Shanghai Jiao Tong University, Minhang', zh: '上海交通大学闵行校区' }, kind: 'school' }],
      participants: [{ id: 'mei', name: 'Mei', github: login, teams: ['sjtu'] },
        { id: 'lu', name: 'Huazhong Univ. of Science and Technology Lu', github: 'lu-gh', teams: ['sjtu'] },
        { id: 'kai', name: '上海交通大学闵行校区 凯', github: 'kai-gh', teams: ['sjtu'] }],
      rules: { components: [{ id: 'notes', kind: 'votes', name: { en: 'Learning notes', zh: '学习笔记' }, max: 100,
        vote: { opens_at: opens, closes_at: closes, k: 2 } }] } }],
  };
}

test('a member votes from the phone, never for their own entry, and sees the tallies after the close (en and zh)', async () => {
  const browser = await sharedBrowser();
  for (const lang of ['en', 'zh']) {
    flushDb(101);
    const login = `voter-${lang}`;
    const standin = await startStandIn(login);
    const file = writeConfig(votingCamp(standin.base, login, iso(1), iso(2)));
    const server = await startServer(file, redisUrl(101), { env: { LB_ADMIN_TOKEN: 'vote-admin', LB_GITHUB_OAUTH_SECRET: 'gh-secret' } });
    const admin = { Authorization: 'Bearer vote-admin', 'Content-Type': 'application/json' };
    const moveWindow = async (opens, closes) => {
      fs.writeFileSync(file, JSON.stringify(votingCamp(standin.base, login, opens, closes)));
      assert.equal((await fetch(`${server.base}/api/config/reload`, { method: 'POST', headers: admin })).status, 200);
    };
    try {
      await waitReady(server.base);
      for (const [pid, title] of [['mei', 'Mei: 21 days'], ['lu', '华中科技大学 学习笔记'], ['kai', 'Kai notes']]) {
        const token = (await (await fetch(`${server.base}/api/contests/camp/participants/${pid}/tokens`, { method: 'POST', headers: admin })).json()).token;
        const handed = await fetch(`${server.base}/api/contests/camp/votes/notes/entries`, { method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ url: `https://example.org/${pid}`, title }) });
        assert.equal(handed.status, 201);
      }
      await moveWindow(iso(-0.01), iso(1));
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
      const page = await context.newPage();
      const failed = [];
      page.on('pageerror', (e) => failed.push(String(e)));
      // Not signed in: the vote says what it takes, and lists the entries as links.
      await page.goto(`${server.base}/?contest=camp&lang=${lang}`);
      await page.locator('#vote .vote-who').waitFor();
      assert.equal(await page.textContent('#vote .vote-who'), lang === 'en' ? 'Members of the community vote: sign in with your code host.' : '社区成员才能投票：请用代码托管平台账号登录。');
      assert.equal(await page.locator('#vote .entry a.entry-title').count(), 3);
      // Signed in and joined: Mei's own entry takes no box; she picks Lu's and votes.
      await page.goto(`${server.base}/join.html?lang=${lang}`);
      await page.locator('#sign-in-hosts a[data-sign-in="github"]').click();
      await page.locator('#signed-in:not([hidden])').waitFor();
      await page.fill('input[name="name"]', 'Mei');
      await page.click('#join button[type=submit]');
      await page.locator('#done:not([hidden])').waitFor();
      await page.goto(`${server.base}/?contest=camp&lang=${lang}`);
      await page.locator('#vote form.ballot input[type=checkbox]').first().waitFor();
      assert.equal(await page.locator('#vote li[data-participant="mei"] input').count(), 0);
      assert.equal(await page.textContent('#vote li[data-participant="mei"] .own'), lang === 'en' ? 'your entry' : '你的作品');
      assert.equal(await page.textContent('#vote .vote-who'), lang === 'en' ? 'Pick up to 2.' : '最多选 2 个。');
      await page.screenshot({ path: path.join(ARTIFACTS, `vote-open-${lang}.png`), fullPage: true });
      await page.locator('#vote li[data-participant="lu"] input').check();
      await page.locator('#vote form.ballot button[type=submit]').click();
      await page.waitForFunction(() => document.querySelector('#vote .vote-state').textContent.match(/1 has voted|已有 1 人投票/));
      assert.equal(await page.textContent('#vote .vote-who'), lang === 'en' ? 'You voted. You may change your ballot until the vote closes.' : '你已投票。投票截止前可以修改。');
      assert.equal(await page.locator('#vote li[data-participant="lu"] input').isChecked(), true);
      assert.equal(await page.locator('#vote .tallies').count(), 0);  // hidden until the close
      for (const box of await drawnWhole(page, '#vote h2, #vote .vote-state, #vote .vote-who, #vote .name, #vote .entry-title, #vote button'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `vote-cast-${lang}.png`), fullPage: true });
      // Closed: the tallies, most votes first, and the points on the board.
      await moveWindow(iso(-0.02), iso(-0.01));
      await page.reload();
      await page.locator('#vote .tallies li').first().waitFor();
      assert.equal(await page.getAttribute('#vote .tallies li:first-child', 'data-participant'), 'lu');
      assert.equal(await page.textContent('#vote .tallies li:first-child .vote-count'), lang === 'en' ? '1 vote' : '1 票');
      assert.equal(await page.textContent('#vote .tallies li:first-child .points'), '100');
      await page.locator('#rows li[data-id="lu"]').waitFor();
      for (const box of await drawnWhole(page, '#vote h2, #vote .vote-state, #vote .name, #vote .entry-title, #vote .vote-count, #vote .points'))
        assert.ok(box.inside && !box.clipped, `drawn whole: ${JSON.stringify(box)}`);
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
      await page.screenshot({ path: path.join(ARTIFACTS, `vote-closed-${lang}.png`), fullPage: true });
      assert.deepEqual(failed, []);
      await context.close();
    } finally {
      await server.stop();
      standin.stop();
    }
  }
});

// A whole camp in one run: homework judged from the console's queue, a public vote of five signed-in
// members (one ballot replaced, one refused for a self-vote, one voided by an organizer), tallies
// hidden until the close, the weighted totals and the placings on the big screen, a certificate
// printed to one A4 page whose hash the final export lists.
function wholeCamp(standin, phase) {
  const at = {
    entries: { ends: 3, w1: [-2, 1], w2: [-1, 2], vote: [1, 2] },
    voting: { ends: 3, w1: [-2, 1], w2: [-1, 2], vote: [-0.01, 1] },
    closed: { ends: 3, w1: [-2, 1], w2: [-1, 2], vote: [-0.02, -0.01] },
    ended: { ends: -0.005, w1: [-2, -0.006], w2: [-1, -0.006], vote: [-0.02, -0.01] },
  }[phase];
  const names = ['Ann', '薄一', 'Cy', '迪丽', 'Ed', '傅'];
  return {
    admin_token_env: 'LB_ADMIN_TOKEN', judges: [{ id: 'ana', token_env: 'LB_JUDGE_ANA' }],
    community: { id_prefix: 'CAMP-', approval: 'unless_proven', sign_in: config(standin, 'x').community.sign_in },
    contests: [{ id: 'camp21', title: { en: '21-day camp', zh: '21 天训练营' }, starts_at: iso(-3), ends_at: iso(at.ends), repos: [],
      teams: [{ id: 'sh', name: { en: 'Shanghai', zh: '上海' }, kind: 'city' }],
      participants: names.map((name, i) => ({ id: `p${i + 1}`, name, github: `p${i + 1}-gh`, teams: ['sh'] })),
      placings: [{ from: 1, to: 1, title: { en: 'First prize', zh: '一等奖' } }, { from: 2, to: 3, title: { en: 'Second prize', zh: '二等奖' } },
        { from: 4, to: 6, title: { en: 'Third prize', zh: '三等奖' } }],
      rules: { components: [
        { id: 'homework', name: { en: 'Homework', zh: '作业' }, weight: 0.5, max: 100, submissions: { combine: 'mean', assignments: [
          { id: 'w1', name: { en: 'Week 1', zh: '第一周' }, opens_at: iso(at.w1[0]), due_at: iso(at.w1[1]) },
          { id: 'w2', name: { en: 'Week 2', zh: '第二周' }, opens_at: iso(at.w2[0]), due_at: iso(at.w2[1]) }] } },
        { id: 'notes', kind: 'votes', name: { en: 'Learning notes', zh: '学习笔记' }, weight: 0.5, max: 100,
          vote: { opens_at: iso(at.vote[0]), closes_at: iso(at.vote[1]), k: 2 } }] } }],
  };
}

test('a whole camp: homework judged from the queue, a vote of five members, placings on the big screen, a certificate in the export', async () => {
  flushDb(105);
  const standin = await startStandIn('p1-gh');
  const file = writeConfig(wholeCamp(standin.base, 'entries'));
  const server = await startServer(file, redisUrl(105), { env: { LB_ADMIN_TOKEN: 'camp-admin', LB_JUDGE_ANA: 'camp-judge', LB_GITHUB_OAUTH_SECRET: 'gh-secret' } });
  const browser = await sharedBrowser();
  const call = async (method, route, body, token = 'camp-admin') => {
    const response = await fetch(`${server.base}${route}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  const phase = async (name) => {
    fs.writeFileSync(file, JSON.stringify(wholeCamp(standin.base, name)));
    assert.equal((await call('POST', '/api/config/reload')).status, 200);
  };
  const failed = [];
  try {
    await waitReady(server.base);
    // Every participant hands in both assignments and an entry to the vote.
    const scores = { w1: [90, 80, 70, 60, 50, 40], w2: [100, 70, 60, 50, 40, 30] };
    for (let i = 1; i <= 6; i += 1) {
      const token = (await call('POST', `/api/contests/camp21/participants/p${i}/tokens`)).body.token;
      for (const assignment of ['w1', 'w2'])
        assert.equal((await call('POST', '/api/contests/camp21/homework', { component: 'homework', assignment, url: `https://example.org/p${i}/${assignment}` }, token)).status, 201);
      assert.equal((await call('POST', '/api/contests/camp21/votes/notes/entries', { url: `https://example.org/p${i}/notes`, title: `Notes of p${i}` }, token)).status, 201);
    }
    // The judge scores Ann's two hand-ins from the console's queue; the rest by the API.
    const judge = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    judge.on('pageerror', (e) => failed.push(String(e)));
    await judge.goto(`${server.base}/admin?lang=en&contest=camp21`);
    await judge.fill('#token', 'camp-judge');
    await judge.click('#signin button[type=submit]');
    await judge.click('#tabs button[data-tab="judging"]');
    for (const [assignment, points] of [['w1', 90], ['w2', 100]]) {
      const row = judge.locator(`#homework-queue tr[data-hand-in="homework:${assignment}:p1"]`);
      await row.locator('input.points').fill(String(points));
      await row.locator('button.primary').click();
      // Scored, it leaves the queue for the list of scored work below it.
      await judge.locator(`#homework-queue tr[data-hand-in="homework:${assignment}:p1"] input.points`).waitFor({ state: 'detached' });
    }
    await judge.close();
    for (let i = 2; i <= 6; i += 1)
      for (const assignment of ['w1', 'w2'])
        assert.equal((await call('POST', `/api/contests/camp21/homework/homework:${assignment}:p${i}/score`, { points: scores[assignment][i - 1] }, 'camp-judge')).status, 200);

    // Five members sign in and vote from their phones; the first is Ann herself.
    await phase('voting');
    const voters = [];
    for (const login of ['p1-gh', 'voter-2', 'voter-3', 'voter-4', 'voter-5']) {
      await standin.setUser(login);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => failed.push(String(e)));
      await page.goto(`${server.base}/join.html?lang=en`);
      await page.locator('#sign-in-hosts a[data-sign-in="github"]').click();
      await page.locator('#signed-in:not([hidden])').waitFor();
      await page.fill('input[name="name"]', login);
      await page.click('#join button[type=submit]');
      await page.locator('#done:not([hidden])').waitFor();
      voters.push({ login, page, person: await page.textContent('#request-id') });
    }
    const vote = async (voter, entries) => {
      await voter.page.goto(`${server.base}/?contest=camp21&lang=en`);
      await voter.page.locator('#vote form.ballot input[type=checkbox]').first().waitFor();
      for (const id of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'])
        if (id !== 'p1' || voter.login !== 'p1-gh') await voter.page.locator(`#vote form.ballot input[name="${id}"]`).setChecked(entries.includes(id));
      const [answer] = await Promise.all([voter.page.waitForResponse((r) => r.url().endsWith('/votes/notes/ballot')),
        voter.page.click('#vote form.ballot button[type=submit]')]);
      assert.equal(answer.status(), 200, await answer.text());
      await voter.page.waitForFunction(() => document.querySelector('#vote .vote-who')?.textContent.startsWith('You voted'));
    };
    // A self-vote is refused (the page offers Ann no box for her own entry; the API says why).
    const own = await voters[0].page.evaluate(async () => (await fetch('/api/contests/camp21/votes/notes/ballot', {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entries: ['p1'] }) })).json());
    assert.equal(own.error, 'own_entry');
    await vote(voters[0], ['p2', 'p3']);
    await vote(voters[1], ['p4']);
    await vote(voters[1], ['p2', 'p4']);  // replaced
    await vote(voters[2], ['p2', 'p5']);
    await vote(voters[3], ['p3', 'p6']);
    await vote(voters[4], ['p5', 'p6']);
    await voters[1].page.reload();
    await voters[1].page.locator('#vote .vote-state').waitFor();
    assert.match(await voters[1].page.textContent('#vote .vote-state'), /5 have voted/);
    assert.equal(await voters[1].page.locator('#vote .tallies').count(), 0);  // hidden while open
    // An organizer voids the last ballot from the console.
    const admin = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    admin.on('pageerror', (e) => failed.push(String(e)));
    await admin.goto(`${server.base}/admin?lang=en&contest=camp21`);
    await admin.fill('#token', 'camp-admin');
    await admin.click('#signin button[type=submit]');
    await admin.click('#tabs button[data-tab="judging"]');
    const ballot = admin.locator(`#vote-ballots tr[data-voter="${voters[4].person}"]`);
    await ballot.locator('input.reason').fill('a second account of voter-4');
    await ballot.locator('button.danger').click();
    await admin.waitForFunction(() => document.querySelector('#vote-ballots h3')?.textContent.includes('(4 counted)'));
    await admin.close();

    // Closed: the tally is points; ended and finalized: placings and certificates.
    await phase('closed');
    await voters[1].page.reload();
    await voters[1].page.locator('#vote .tallies li').first().waitFor();
    assert.equal(await voters[1].page.getAttribute('#vote .tallies li:first-child', 'data-participant'), 'p2');
    for (const voter of voters) await voter.page.context().close();
    await phase('ended');
    const final = await call('POST', '/api/contests/camp21/finalize', {});
    assert.equal(final.body.certificates, 6, JSON.stringify(final.body));
    const exported = await call('GET', '/api/contests/camp21/standings?board=participants');
    assert.deepEqual(exported.body.rows.map((r) => r.id), ['p2', 'p3', 'p1', 'p4', 'p5', 'p6']);
    assert.equal(exported.body.rows[0].points, 87.5);  // 0.5 × mean(80, 70) + 0.5 × 100 (the most votes)

    // The big screen: each weighted total and placing drawn whole.
    const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    screen.on('pageerror', (e) => failed.push(String(e)));
    await screen.goto(`${server.base}/?contest=camp21&lang=en&screen=1`);
    await screen.waitForFunction(() => document.querySelectorAll('#rows li .chip.placing').length === 6);
    assert.deepEqual(await screen.$$eval('#rows li .chip.placing', (els) => els.map((e) => e.textContent)),
      ['First prize', 'Second prize', 'Second prize', 'Third prize', 'Third prize', 'Third prize']);
    assert.equal(await screen.textContent('#rows li[data-id="p2"] .points'), '87.5');
    // The ticker names a vote's points by the component, not by an entry's title.
    await screen.waitForFunction(() => document.querySelectorAll('#ticker .event').length > 0);
    assert.ok((await screen.$$eval('#ticker .event', (els) => els.map((e) => e.textContent))).some((line) => line.includes('· Learning notes ·')));
    await screen.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    assert.deepEqual(await cutOnPage(screen, '#heading, #rows li'), []);
    await screen.screenshot({ path: path.join(ARTIFACTS, 'camp-final-screen-en-1920x1080.png') });
    await screen.close();

    // The champion's certificate, printed; its hash is the export's.
    const first = exported.body.certificates.find((c) => c.participant === 'p2');
    const sheet = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    await sheet.goto(`${server.base}/certificates/${first.id}?lang=zh`);
    await sheet.waitForFunction(() => document.body.dataset.ready === '1' && document.querySelector('#qr').naturalWidth > 0);
    assert.equal(await sheet.textContent('#hash'), first.hash);
    assert.equal(await sheet.textContent('#title'), '一等奖');
    await sheet.emulateMedia({ media: 'print' });
    const pdf = await sheet.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'camp-certificate-zh.pdf'), pdf);
    assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length, 1);
    await sheet.close();
    assert.deepEqual(failed, []);
  } finally {
    await server.stop();
    standin.stop();
  }
});
