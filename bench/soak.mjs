// Soak: a moderate, steady load for a long time, and what the server holds each minute.
// Deliveries: signed GitHub merges at --rate per second, most of them states of a bounded set
// of PRs (relabels, redeliveries), so Redis grows slowly. Viewers: --viewers WebSockets that
// connect, subscribe, switch boards and leave after a while, replaced as they go.
// Each minute: the server's RSS and open files, Redis' used memory, viewers, deliveries.
// usage: node bench/soak.mjs --port P --pid PID --redis-port R --minutes M [--rate 200] [--viewers 2000]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/node/package.json', import.meta.url));
const WebSocket = require('ws');
const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const closed = examples.find((e) => e.name === 'pull_request').examples.find((e) => e.action === 'closed');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const port = Number(args.port);
const pid = Number(args.pid);
const minutes = Number(args.minutes ?? 10);
const rate = Number(args.rate ?? 200);
const viewerTarget = Number(args.viewers ?? 2000);
const secret = args.secret ?? 'bench-secret';
const boards = ['participants', 'teams', 'teams:city', 'teams:school'];
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

let delivered = 0;
let failed = 0;
function deliver(number, labels) {
  const payload = structuredClone(closed);
  const pr = payload.pull_request;
  const stamp = new Date(Date.UTC(2026, 11, 2) + number * 1000 + labels.length).toISOString().replace('.000', '');
  Object.assign(pr, { number, merged: true, merged_at: stamp, updated_at: stamp, labels: labels.map((name) => ({ name })) });
  pr.user.login = `user${number % 1000}`;
  pr.base.repo.full_name = 'example-org/framework';
  const body = JSON.stringify(payload);
  const signature = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
  const request = http.request({ port, host: '127.0.0.1', path: '/hooks/github', method: 'POST', agent,
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': crypto.randomUUID(),
      'X-Hub-Signature-256': signature, 'Content-Length': Buffer.byteLength(body) } }, (response) => {
    response.resume();
    if (response.statusCode < 300) delivered += 1; else failed += 1;
  });
  request.on('error', () => { failed += 1; });
  request.end(body);
}

// Deliveries cycle through 20,000 PRs: the first pass merges them; afterwards one PR in ten is
// relabelled on each pass (a new state), the others are redelivered as they were.
let tick = 0;
const sender = setInterval(() => {
  for (let i = 0; i < rate / 20; i++) {
    tick += 1;
    const number = 1 + (tick % 20000);
    const pass = Math.floor(tick / 20000);
    const labels = number % 10 === 0 && pass % 2 === 1 ? ['bug', 'documentation'] : ['bug'];
    deliver(number, labels);
  }
}, 50);

const viewers = new Set();
let opened = 0;
function openViewer() {
  const board = boards[Math.floor(Math.random() * boards.length)];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?contest=bench&board=${board}&limit=25`);
  viewers.add(ws);
  opened += 1;
  const lifetime = 5000 + Math.random() * 55000;
  const switchAt = setTimeout(() => {
    if (ws.readyState === WebSocket.OPEN)
      ws.send(JSON.stringify({ type: 'subscribe', contest: 'bench', board: boards[Math.floor(Math.random() * boards.length)], limit: 10 }));
  }, lifetime / 2);
  const leave = setTimeout(() => ws.terminate(), lifetime);
  ws.on('message', () => {});
  ws.on('error', () => {});
  ws.on('close', () => { clearTimeout(switchAt); clearTimeout(leave); viewers.delete(ws); });
}
const keeper = setInterval(() => { for (let i = 0; viewers.size < viewerTarget && i < 50; i++) openViewer(); }, 100);

function sample(minute) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(status.match(/VmRSS:\s+(\d+)/)[1]);
  const files = fs.readdirSync(`/proc/${pid}/fd`).length;
  const info = execFileSync('redis-cli', ['-p', String(args['redis-port']), 'INFO', 'memory'], { encoding: 'utf8' });
  const redis = Number(info.match(/used_memory:(\d+)/)[1]);
  const line = { minute, rss_kib: rss, open_files: files, redis_bytes: redis, viewers: viewers.size, viewers_opened: opened, delivered, failed };
  console.log(JSON.stringify(line));
  return line;
}

const samples = [];
let minute = 0;
const sampler = setInterval(() => {
  minute += 1;
  samples.push(sample(minute));
  if (minute < minutes) return;
  clearInterval(sampler);
  clearInterval(sender);
  clearInterval(keeper);
  for (const ws of viewers) ws.terminate();
  // Drift after warm-up: from the sample after the first ten minutes (or the second, in short runs).
  const warm = samples[Math.min(samples.length - 1, minutes >= 20 ? 10 : 1)];
  const last = samples[samples.length - 1];
  console.log(JSON.stringify({ summary: true, minutes, warm_minute: warm.minute,
    rss_drift_percent: Number((100 * (last.rss_kib - warm.rss_kib) / warm.rss_kib).toFixed(2)),
    open_files_warm: warm.open_files, open_files_last: last.open_files,
    open_files_max: Math.max(...samples.map((s) => s.open_files)), delivered, failed, viewers_opened: opened }));
  setTimeout(() => process.exit(0), 500);
}, 60000);
