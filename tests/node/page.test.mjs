// The leaderboard page in a real browser (Debian's chromium, driven by playwright-core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, contestConfig, deliver, flushDb, mergedPr, redisUrl, sharedBrowser, startServer, waitReady, writeConfig } from './lib.mjs';

const ARTIFACTS = process.env.LB_ARTIFACTS_DIR ?? fs.mkdtempSync('/tmp/lb-artifacts-');
const HOSTILE = '<img src=x onerror=alert(1)>';

// Lets row animations finish, so the saved pictures show the settled page.
async function snap(page, name) {
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

test('the page shows the board live, in both languages, on a big screen, with names as text', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  flushDb(55);
  const config = writeConfig(contestConfig({ participants: [{ id: 'mallory', name: HOSTILE, github: 'mallory', teams: ['beijing'] }] }));
  const server = await startServer(config, redisUrl(55));
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1, author: 'mallory', title: '<script>alert(2)</script> fix', mergedAt: '2026-02-01T09:00:00Z' }));
    await deliver(server.base, mergedPr({ number: 2, author: 'bob', labels: [], mergedAt: '2026-02-01T10:00:00Z' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const failed = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${server.base}/?contest=live&lang=en`);
    await page.waitForSelector('#rows li');
    assert.deepEqual(await page.$$eval('#rows li .name', (els) => els.map((e) => e.textContent)), [HOSTILE, 'Bob']);
    assert.equal(await page.$$eval('#rows img, #ticker img, #ticker script', (els) => els.length), 0);
    assert.match(await page.textContent('#ticker'), /<script>alert\(2\)<\/script> fix #1/);
    assert.equal(await page.textContent('#status'), 'Live');
    assert.equal(await page.textContent('nav button[aria-selected="true"]'), 'Individuals');
    await snap(page, 'page-en.png');

    // A merge moves a row without a reload (how fast is bench/fanout.sh's to measure, not a test's).
    const sent = Date.now();
    await deliver(server.base, mergedPr({ number: 3, author: 'bob', labels: ['bug'], mergedAt: '2026-02-01T11:00:00Z' }));
    await page.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === 'Bob', null, { timeout: 15000 });
    console.log(`the row moved ${Date.now() - sent} ms after the delivery was sent`);
    assert.equal(await page.textContent('#rows li .points'), '12');
    assert.match(await page.textContent('#ticker .event'), /Beijing \+11 · fix: crash 3 #3 merged by Bob/);

    // Chinese, the team tab, and the chart of one team.
    await page.click('#lang');
    await page.click('nav button[data-board="teams:city"]');
    await page.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === '北京');
    assert.equal(await page.textContent('nav button[aria-selected="true"]'), '城市');
    assert.equal(await page.textContent('#status'), '实时');
    await page.click('#rows li');
    await page.waitForSelector('#detail:not([hidden]) #chart path');
    assert.match(await page.textContent('#detail-title'), /北京 · 积分走势/);
    await snap(page, 'page-zh-teams.png');

    // A phone that follows one participant.
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 }, locale: 'zh-CN' });
    await phone.goto(`${server.base}/?contest=live&me=mallory`);
    await phone.waitForFunction(() => document.querySelector('#me .rank')?.textContent === '第 2 名');
    assert.equal(await phone.textContent('#me .name'), HOSTILE);
    await snap(phone, 'page-phone.png');

    // Big screen: large type, no controls.
    const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await screen.goto(`${server.base}/?contest=live&screen=1&lang=zh`);
    await screen.waitForSelector('#rows li');
    assert.equal(await screen.isVisible('#lang'), false);
    assert.equal(await screen.isVisible('#contest'), false);
    const fontSize = await screen.$eval('#rows li .name', (e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(fontSize >= 36, `big-screen font ${fontSize}px`);
    // A QR code for phones, drawn by the server for the screen's own origin.
    await screen.waitForFunction(() => document.querySelector('#qr')?.complete && document.querySelector('#qr').naturalWidth > 0);
    assert.equal(await screen.textContent('#follow figcaption'), '用手机关注');
    const qr = await (await fetch(`${server.base}/api/contests/live/qr.svg?origin=${encodeURIComponent(server.base)}`)).text();
    assert.match(qr, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    const box = await screen.$eval('#qr', (e) => e.getBoundingClientRect().width);
    assert.ok(box >= 200, `QR ${box}px wide on a 1920 px screen`);
    assert.equal(await page.isVisible('#follow'), false);  // not on the ordinary page
    await snap(screen, 'page-big-screen.png');

    assert.deepEqual(dialogs, []);
    assert.deepEqual(failed.filter((url) => !url.startsWith(server.base)), []);  // nothing from the internet
  } finally {
    await server.stop();
  }
});

test('the page shows "reconnecting" when the server goes away and resyncs when it is back', async () => {
  flushDb(56);
  const config = writeConfig(contestConfig());
  let server = await startServer(config, redisUrl(56));
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1 }));
    const page = await browser.newPage();
    await page.goto(`${server.base}/?contest=live&lang=en`);
    await page.waitForSelector('#rows li');
    const port = new URL(server.base).port;
    await server.stop();
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Reconnecting…');
    server = await startServer(config, redisUrl(56), { listen: `127.0.0.1:${port}` });
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 2, author: 'bob' }));
    await page.waitForFunction(() => document.querySelectorAll('#rows li').length === 2, null, { timeout: 15000 });
    assert.equal(await page.textContent('#status'), 'Live');
  } finally {
    await server.stop();
  }
});

test('freeze holds the public page, unfreeze plays the reveal; a row explains its awards', async () => {
  flushDb(57);
  const config = writeConfig(contestConfig());
  const server = await startServer(config, redisUrl(57));
  const browser = await sharedBrowser();
  const admin = (route) => fetch(`${server.base}/api/contests/live/${route}`, {
    method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: 'test' }) });
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1, author: 'Codertocat', labels: ['bug'], mergedAt: '2026-02-01T09:00:00Z' }));
    await deliver(server.base, mergedPr({ number: 2, author: 'bob', labels: [], mergedAt: '2026-02-01T10:00:00Z' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.base}/?contest=live&lang=en`);
    await page.waitForFunction(() => document.querySelectorAll('#rows li').length === 2);
    assert.equal((await admin('freeze')).status, 200);
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Frozen', null, { timeout: 3000 });
    await deliver(server.base, mergedPr({ number: 3, author: 'bob', labels: ['bug'], mergedAt: '2026-02-01T11:00:00Z' }));
    await page.waitForTimeout(600);
    assert.equal(await page.textContent('#rows li .name'), 'Octo');  // the public board stands still
    assert.equal((await admin('unfreeze')).status, 200);
    await page.waitForSelector('#rows.revealing', { timeout: 3000 });
    await page.waitForFunction(() => document.querySelector('#rows li .name')?.textContent === 'Bob', null, { timeout: 3000 });
    assert.equal(await page.textContent('#status'), 'Live');
    await snap(page, 'page-reveal.png');

    await page.click('#rows li');
    await page.waitForSelector('#detail:not([hidden]) #detail-awards li.award');
    const lines = await page.$$eval('#detail-awards li.award', (els) => els.map((e) => e.textContent));
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => l.includes('base 1 + bug 10') && l.includes('+11')), lines.join(' | '));
    const href = await page.getAttribute('#detail-awards li.award a.subject', 'href');
    assert.match(href, /^https:\/\/github\.com\/Codertocat\/Hello-World\/pull\/\d$/);
    await snap(page, 'page-awards.png');
  } finally {
    await server.stop();
  }
});

test('a page that opened while the store was stalled asks again and shows the board once it answers', async () => {
  // A Redis of this test's own: stalling the shared one would stall every test beside it.
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => { const { port: p } = probe.address(); probe.close(() => resolve(p)); });
  });
  // AOF fsync'ed before each answer, as the run command runs Redis, its data in memory.
  const data = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'lb-page-redis-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
    '--appendfsync', 'always', '--dir', data, '--enable-debug-command', 'yes'], { stdio: 'ignore' });
  const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim();
  for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++)
    await new Promise((r) => setTimeout(r, 100));
  const server = await startServer(writeConfig(contestConfig()), `redis://127.0.0.1:${port}/0`);
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    await deliver(server.base, mergedPr({ number: 1 }));
    // Past the 1 s command timeout many times over, so a page that starts slowly on a loaded machine still opens inside it.
    const stall = spawn('redis-cli', ['-p', String(port), 'DEBUG', 'SLEEP', '8'], { stdio: 'ignore' });
    const awake = new Promise((resolve) => stall.on('exit', resolve));
    await new Promise((r) => setTimeout(r, 800));  // the sleep has begun
    const page = await browser.newPage();
    await page.goto(`${server.base}/?contest=live&lang=en`);
    await page.waitForFunction(() => /store cannot be reached/.test(document.querySelector('#status').textContent), null, { timeout: 7000 });
    await page.waitForSelector('#rows li', { timeout: 20000 });
    assert.equal(await page.textContent('#rows li .name'), 'Octo');
    assert.equal(await page.textContent('#status'), 'Live');
    await awake;
    assert.equal(cli('ping'), 'PONG');
  } finally {
    await server.stop();
    redis.kill();
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('a person signs up on the join page, is approved, and has a public profile, in both languages', async () => {
  flushDb(80);
  const document = contestConfig({ participants: [{ id: 'mal', name: 'Mallory', github: 'Mallory', teams: ['shanghai'] }] });
  document.community = { id_prefix: 'MSG-', id_width: 6 };
  // The community receives merges from GitHub and GitCode: a login field for each, nothing else.
  document.webhooks = { ...document.webhooks, gitcode: { secret_env: 'LB_GITCODE_SECRET' } };
  const server = await startServer(writeConfig(document), redisUrl(80));
  const browser = await sharedBrowser();
  try {
    await waitReady(server.base);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(`${server.base}/join.html?lang=en`);
    assert.equal(await page.textContent('h1'), 'Join the community');
    await page.waitForSelector('#join:not([hidden])');
    assert.deepEqual(await page.$$eval('#logins input', (inputs) => inputs.map((i) => i.name)), ['github', 'gitcode']);
    assert.deepEqual(await page.$$eval('#logins span', (spans) => spans.map((s) => s.textContent)), ['GitHub login', 'GitCode login']);
    // Nothing filled in: the name is asked for, on its field.
    await page.click('#join button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#join-error').textContent !== '');
    assert.equal(await page.getAttribute('input[name="name"]', 'aria-invalid'), 'true');
    await page.fill('input[name="name"]', HOSTILE);
    await page.fill('input[name="github"]', 'Mallory');
    await page.fill('input[name="gitcode"]', 'mallory_gc');
    await page.fill('input[name="city"]', 'Shanghai');
    await page.click('#join button[type="submit"]');
    await page.waitForSelector('#done:not([hidden])');
    assert.equal(await page.textContent('#request-id'), 'r1');
    await snap(page, 'join-sent-en.png');

    // The same login again, in Chinese: refused on the GitHub field, saying why.
    await page.goto(`${server.base}/join.html`);
    assert.equal(await page.textContent('h1'), '加入社区');
    await page.fill('input[name="name"]', '马洛');
    await page.fill('input[name="github"]', 'mallory');
    await page.click('#join button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#join-error').textContent.includes('GitHub'));
    assert.equal(await page.getAttribute('input[name="github"]', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#join-error'), /已经报名或已是成员/);
    await snap(page, 'join-duplicate-zh.png');

    const approved = await fetch(`${server.base}/api/community/sign-ups/r1/approve`,
      { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.json());
    assert.equal(approved.community_id, 'MSG-000001');
    assert.equal((await deliver(server.base, mergedPr({ number: 31, author: 'Mallory' }))).status, 200);
    const shown = {
      en: { chapter: 'City · Shanghai', level: 'Level L1 · First merge · 11 points · 1 merged PR', contest: 'Live test' },
      zh: { chapter: '城市 · Shanghai', level: '等级 L1 · 首次合并 · 11 分 · 1 个合并的 PR', contest: '直播测试' },
    };
    for (const [lang, { chapter, level, contest }] of Object.entries(shown)) {
      const profile = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      profile.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
      await profile.goto(`${server.base}/people/MSG-000001?lang=${lang}`);
      await profile.waitForFunction(() => document.querySelector('#person-id').textContent === 'MSG-000001');
      assert.equal(await profile.textContent('#person-name'), HOSTILE);  // a name is text, never markup
      assert.match(await profile.textContent('#person-chapters li'), new RegExp(`^${chapter}`));
      assert.deepEqual(await profile.$$eval('#person-logins dd', (items) => items.map((d) => d.textContent)), ['Mallory', 'mallory_gc']);
      assert.deepEqual(await profile.$$eval('#person-logins dt', (items) => items.map((d) => d.textContent)),
        lang === 'en' ? ['GitHub login', 'GitCode login'] : ['GitHub 账号', 'GitCode 账号']);
      // Levels and contests come from the ledger: one merged PR (base 1 + bug 10) in the live contest.
      assert.equal(await profile.textContent('#person-level'), level);
      assert.match(await profile.textContent('#person-next'), lang === 'en' ? /L2 Contributor/ : /L2 贡献者/);
      assert.match(await profile.textContent('#person-contests h4'), new RegExp(`^${contest}`));
      assert.match(await profile.textContent('#person-contests .awards li'), /^2026-02-01 · github:codertocat\/hello-world#31 · \+11$/);
      // The level's certificate (issued by the level watch within a second of the merge), and its page.
      for (let tries = 0; tries < 20 && !(await profile.$('#person-certificates a')); tries += 1) {
        await profile.waitForTimeout(500);
        await profile.reload();
        await profile.waitForFunction(() => document.querySelector('#person-level').textContent !== '');
      }
      assert.equal(await profile.textContent('#person-certificates a'), lang === 'en' ? 'Certificate: L1' : 'L1 等级证书');
      await snap(profile, `profile-${lang}.png`);
      await profile.click('#person-certificates a');
      await profile.waitForFunction(() => document.body.dataset.ready === '1');
      assert.equal(await profile.textContent('#title'), lang === 'en' ? 'reached the level First merge' : '达成社区等级 首次合并');
      assert.equal(await profile.textContent('#member'), lang === 'en' ? 'Community number MSG-000001' : '社区编号 MSG-000001');
      await profile.screenshot({ path: path.join(ARTIFACTS, `certificate-level-${lang}.png`), fullPage: true });
      await profile.close();
    }
    const missing = await browser.newPage();
    await missing.goto(`${server.base}/people/MSG-000042?lang=en`);
    await missing.waitForFunction(() => document.querySelector('#profile-error').textContent !== '');
    assert.equal(await missing.textContent('#profile-error'), 'No member has this community number.');
    assert.deepEqual(dialogs, []);
  } finally {
    await server.stop();
  }
});
