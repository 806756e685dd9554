// Bytes a viewer receives per minute, for the phone's subscription before and after it asked
// for only what it shows: "before" is what the page subscribed for every visitor (50 rows,
// 20 events a frame), "after" the phone view (20 rows, its own row, 3 events a frame).
// Both kinds watch the same merges at the same time, so the two figures share one run.
// usage: node bench/viewer_bytes.mjs --port P --rate 100 --seconds 60 --viewers 20
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/node/package.json'));
const WebSocket = require('ws');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (value.startsWith('--') ? [...pairs, [value.slice(2), all[i + 1]]] : pairs), []));
const rate = Number(args.rate ?? 100), seconds = Number(args.seconds ?? 60), perKind = Number(args.viewers ?? 20);
const kinds = {
  before: { limit: 50, events: 20 },
  after: { limit: 20, events: 3 },
};

function openViewer(subscription, n) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${args.port}/ws`, { perMessageDeflate: false });
    const viewer = { ws, bytes: 0, frames: 0 };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', contest: 'bench', board: 'participants', ...subscription,
      ...(subscription.events === 3 ? { me: `user${(n * 37) % 1000}` } : {}) })));
    ws.on('message', (data) => {
      if (viewer.counting) { viewer.bytes += data.length; viewer.frames++; }
      if (!viewer.ready) { viewer.ready = true; resolve(viewer); }
    });
  });
}

const viewers = {};
for (const [kind, subscription] of Object.entries(kinds))
  viewers[kind] = await Promise.all(Array.from({ length: perKind }, (_, i) => openViewer(subscription, i)));
await new Promise((r) => setTimeout(r, 500));
for (const list of Object.values(viewers)) for (const v of list) v.counting = true;

const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const template = examples.find((e) => e.name === 'pull_request').examples.find((e) => e.action === 'closed');
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const started = Date.now();
let sent = 0, failed = 0;
while (Date.now() - started < seconds * 1000) {
  const due = Math.floor(((Date.now() - started) / 1000) * rate);
  while (sent < due) {
    const n = ++sent;
    const payload = structuredClone(template);
    Object.assign(payload.pull_request, { number: n, title: `fix: a crash when the config has an empty section (${n})`, merged: true,
      merged_at: '2026-12-02T10:00:00Z', updated_at: '2026-12-02T10:00:00Z', html_url: `https://github.com/example-org/framework/pull/${n}` });
    payload.pull_request.user.login = `user${(n * 7919) % 1000}`;
    payload.pull_request.base.repo.full_name = 'example-org/framework';
    payload.pull_request.labels = [{ id: 1, name: n % 3 ? 'bug' : 'documentation' }];
    const body = JSON.stringify(payload);
    const signature = 'sha256=' + crypto.createHmac('sha256', 'bench-secret').update(body).digest('hex');
    const request = http.request({ host: '127.0.0.1', port: Number(args.port), path: '/hooks/github', method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-GitHub-Event': 'pull_request',
        'X-GitHub-Delivery': `bytes-${n}-${started}`, 'X-Hub-Signature-256': signature } },
      (response) => { if (response.statusCode !== 200) failed++; response.resume(); });
    request.on('error', () => failed++);
    request.end(body);
  }
  await new Promise((r) => setTimeout(r, 5));
}
await new Promise((r) => setTimeout(r, 1000));
const minutes = (Date.now() - started) / 60000;
const report = { rate, seconds, merges_sent: sent, merges_failed: failed, viewers_per_kind: perKind };
for (const [kind, list] of Object.entries(viewers)) {
  const bytes = list.reduce((sum, v) => sum + v.bytes, 0) / list.length;
  const frames = list.reduce((sum, v) => sum + v.frames, 0) / list.length;
  report[kind] = { subscription: kinds[kind], bytes_per_viewer_per_minute: Math.round(bytes / minutes),
    frames_per_viewer_per_minute: Math.round(frames / minutes) };
}
report.after_over_before = Number((report.after.bytes_per_viewer_per_minute / report.before.bytes_per_viewer_per_minute).toFixed(3));
console.log(JSON.stringify(report));
for (const list of Object.values(viewers)) for (const v of list) v.ws.close();
process.exit(0);
