// Helpers for the Node tests: the real binary, the test Redis, signed GitHub deliveries.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after } from 'node:test';

const require = createRequire(import.meta.url);
export const BINARY = process.env.LB_BINARY ?? 'leaderboard';
export const GITHUB_SECRET = 'node-test-secret';
export const ADMIN_TOKEN = 'node-admin-token';

export function redisPort() {
  return Number(fs.readFileSync(path.join(process.env.LB_TEST_REDIS_DIR, 'port'), 'utf8').trim());
}

export function redisUrl(db) { return `redis://127.0.0.1:${redisPort()}/${db}`; }

export function flushDb(db) { execFileSync('redis-cli', ['-p', String(redisPort()), '-n', String(db), 'FLUSHDB']); }

export function writeConfig(document) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-node-')), 'config.json');
  fs.writeFileSync(file, JSON.stringify(document));
  return file;
}

export function contestConfig({ queueBytes = 262144, stuckSeconds = 30, participants = [] } = {}) {
  return {
    admin_token_env: 'LB_ADMIN_TOKEN',
    webhooks: { github: { secret_env: 'LB_GITHUB_SECRET' } },
    live: { queue_bytes: queueBytes, stuck_seconds: stuckSeconds },
    contests: [{
      id: 'live', title: { en: 'Live test', zh: '直播测试' },
      starts_at: '2026-01-01T00:00:00+08:00', ends_at: '2026-05-01T00:00:00+08:00',
      repos: ['github:Codertocat/Hello-World'],
      teams: [{ id: 'shanghai', name: { en: 'Shanghai', zh: '上海' }, kind: 'city' },
              { id: 'beijing', name: { en: 'Beijing', zh: '北京' }, kind: 'city' }],
      participants: [
        { id: 'octo', name: 'Octo', github: 'Codertocat', teams: ['shanghai'] },
        { id: 'bob', name: 'Bob', github: 'bob', teams: ['beijing'] },
        ...participants,
      ],
      rules: { pull_requests: { base_points: 1, label_points: { bug: 10 } } },
    }],
  };
}

// `leaderboard serve` on a free port; resolves once it prints its address.
export function startServer(config, redis, { role = 'all', env = {}, listen = '127.0.0.1:0' } = {}) {
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-spool-'));
  const child = spawn(BINARY, ['serve', '--config', config, '--redis', redis, '--listen', listen,
    '--role', role, '--spool', spool],
  { env: { ...process.env, LB_GITHUB_SECRET: GITHUB_SECRET, LB_ADMIN_TOKEN: ADMIN_TOKEN, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (match) resolve({ base: match[1], ws: match[1].replace('http', 'ws'), child, stop: () => stop(child) });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function waitReady(base) {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/readyz`)).status === 200) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never became ready');
}

const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const closedExample = examples.find((e) => e.name === 'pull_request').examples.find((e) => e.action === 'closed');

export function mergedPr({ number, author = 'Codertocat', labels = ['bug'], title, mergedAt = '2026-02-01T10:00:00Z' }) {
  const payload = structuredClone(closedExample);
  const pr = payload.pull_request;
  payload.number = number;
  Object.assign(pr, {
    number, html_url: `https://github.com/Codertocat/Hello-World/pull/${number}`, title: title ?? `fix: crash ${number}`,
    merged: true, merged_at: mergedAt, updated_at: mergedAt, merged_by: structuredClone(pr.user),
    labels: labels.map((name, id) => ({ id, name, color: 'f29513', default: false })),
  });
  pr.user.login = author;
  return payload;
}

export async function deliver(base, payload) {
  const body = JSON.stringify(payload);
  const signature = 'sha256=' + crypto.createHmac('sha256', GITHUB_SECRET).update(body).digest('hex');
  const response = await fetch(`${base}/hooks/github`, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'pull_request',
      'X-GitHub-Delivery': crypto.randomUUID(), 'X-Hub-Signature-256': signature },
  });
  return { status: response.status, body: await response.json() };
}

export function rssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]);
}

export async function metric(base, name) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ')[1]) : NaN;
}

// What a visitor would find cut on the page: every total, rank and cell, and every name and
// chip of up to twenty characters, in the rows the given selector finds (only rows wholly in
// view), must be drawn whole: not wider than its own box, and inside the viewport and every
// ancestor that clips. Also an empty column wider than the gap between rank and name.
export function cutOnPage(page, rowSelector) {
  return page.evaluate((selector) => {
    const problems = [];
    const clipOf = (node) => {
      const clip = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      for (let a = node.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const r = a.getBoundingClientRect();
        clip.left = Math.max(clip.left, r.left); clip.top = Math.max(clip.top, r.top);
        clip.right = Math.min(clip.right, r.right); clip.bottom = Math.min(clip.bottom, r.bottom);
      }
      return clip;
    };
    const inside = (r, c) => r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    for (const row of document.querySelectorAll(selector)) {
      const rowBox = row.getBoundingClientRect();
      if (rowBox.height === 0 || !inside({ ...rowBox.toJSON(), left: 0, right: 0 }, { ...clipOf(row), left: 0, right: 0 })) continue;
      const label = row.dataset.id || row.id || row.className;
      for (const node of row.querySelectorAll('.rank, .points, .cell, .name, .chip, .members')) {
        if (node.getClientRects().length === 0 || node.textContent === '') continue;
        if ((node.matches('.name, .chip')) && [...node.textContent].length > 20) continue;
        const r = node.getBoundingClientRect();
        const clip = clipOf(node);
        if (node.scrollWidth > node.clientWidth + 1 || !inside(r, clip))
          problems.push(`${label}: ${node.className} "${node.textContent}" at ${Math.round(r.left)}–${Math.round(r.right)}×${Math.round(r.top)}–${Math.round(r.bottom)}, ` +
            `box ${node.clientWidth}/${node.scrollWidth}, clip ${Math.round(clip.left)}–${Math.round(clip.right)}×${Math.round(clip.top)}–${Math.round(clip.bottom)}`);
      }
      // No empty column: between the rank and the name there is one gap, unless a rank change is shown.
      const rank = row.querySelector('.rank'), who = row.querySelector('.who'), change = row.querySelector('.change');
      if (rank && who && change && change.textContent === '' && row.closest('.board-grid')?.classList.contains('no-change')) {
        const gap = parseFloat(getComputedStyle(row.closest('.board-grid')).columnGap) || 0;  // the subgrid's is "normal"
        const space = who.getBoundingClientRect().left - rank.getBoundingClientRect().right;
        if (rank.textContent !== '#' && space > gap + 2) problems.push(`${label}: ${Math.round(space)}px between rank and name (gap ${gap}px)`);
      }
    }
    return problems;
  }, rowSelector);
}

// One Chromium per test file: launched by the first test that asks, closed after the last.
// Tests keep apart by their own pages and contexts (and each server is its own origin).
let browserStarted = null;
after(async () => { if (browserStarted) await (await browserStarted).close(); });  // at the top: after the file's last test
export function sharedBrowser() {
  if (!browserStarted) {
    const { chromium } = require('playwright-core');
    browserStarted = chromium.launch({
      executablePath: process.env.LB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }).then((browser) => (clockOffsetMs ? shiftedClocks(browser) : browser));
  }
  return browserStarted;
}

// The test clock (LB_TEST_CLOCK_OFFSET_SECONDS, tests/year_ahead.sh): the server, the tests and
// the pages all see the same shifted "now".
export const clockOffsetMs = Number(process.env.LB_TEST_CLOCK_OFFSET_SECONDS || 0) * 1000;
export const testNow = () => Date.now() + clockOffsetMs;
// A time `offsetDays` from the test clock's now, as RFC 3339 to the second.
export const isoIn = (offsetDays) => new Date(testNow() + offsetDays * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function shiftedClocks(browser) {
  const shift = (offset) => {
    const Real = Date;
    class Shifted extends Real {
      constructor(...args) { super(...(args.length ? args : [Real.now() + offset])); }
      static now() { return Real.now() + offset; }
    }
    globalThis.Date = Shifted;
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(shift, clockOffsetMs);
    return context;
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const close = page.close.bind(page);
    page.close = async (...args) => { await close(...args); await context.close(); };
    return page;
  };
  return browser;
}
