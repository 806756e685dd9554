// Fan-out benchmark: N WebSocket viewers (spread over child processes and
// 127.0.0.x source addresses), merges signed and sent at a fixed rate, and
// the time from sending a merge to each viewer receiving the frame with it.
// --silent 0.1 makes every tenth viewer stop reading once connected ("bad neighbours"):
// latency is measured over the others.
// usage: node bench/fanout.mjs --port P --pid SERVER_PID --viewers 5000 --rate 100 --seconds 20 --processes 2 [--silent 0.1]
import { fork, spawn } from 'node:child_process';
import readline from 'node:readline';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/node/package.json'));
const WebSocket = require('ws');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (value.startsWith('--') ? [...pairs, [value.slice(2), all[i + 1]]] : pairs), []));
const now = () => performance.timeOrigin + performance.now();
const BUCKETS = 20000;  // 0.5 ms buckets up to 10 s

if (args.child) runViewers(); else runParent();

// A child: opens its share of viewers and histograms the merge-to-screen times it sees.
function runViewers() {
  const count = Number(args.count), base = Number(args.first);
  const histogram = new Uint32Array(BUCKETS + 1);
  let frames = 0, bytes = 0, open = 0, snapshots = 0, readers = 0, closedSilent = 0;
  const silent = Number(args.silent ?? 0);
  const pattern = /bench t=(\d+\.\d+)/g;
  for (let i = 0; i < count; i++) {
    const n = base + i;
    const localAddress = `127.0.${Math.floor(n / 20000)}.${2 + (n % 20000) % 250}`;
    const ws = new WebSocket(`ws://127.0.0.1:${args.port}/ws?contest=bench&board=participants&limit=25`,
      { localAddress, perMessageDeflate: false });
    const quiet = silent > 0 && n % Math.round(1 / silent) === 0;
    if (!quiet) readers++;
    ws.on('open', () => {
      if (quiet) ws._socket.pause();  // never reads again: the server must cope
      if (++open === count) process.send({ ready: true });
    });
    if (quiet) {
      ws.on('close', () => { closedSilent++; });
      ws.on('error', () => {});
      continue;
    }
    ws.on('message', (data) => {
      const text = String(data);
      frames++;
      bytes += data.length;
      if (text.startsWith('{"board"') && text.includes('"type":"snapshot"')) snapshots++;
      const received = now();
      for (const match of text.matchAll(pattern)) {
        const ms = received - Number(match[1]);
        histogram[Math.min(BUCKETS, Math.max(0, Math.round(ms * 2)))]++;
      }
    });
    ws.on('error', (e) => process.send({ error: String(e) }));
  }
  process.on('message', (m) => {
    if (m.report) {
      const sparse = {};
      histogram.forEach((v, i) => { if (v) sparse[i] = v; });
      process.send({ histogram: sparse, frames, bytes, snapshots, count, readers, closedSilent });
    }
  });
}

function percentile(histogram, total, p) {
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) { seen += histogram[i]; if (seen >= p * total) return i / 2; }
  return histogram.length / 2;
}

function rssKiB(pid) {
  return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
}

async function runParent() {
  const viewers = Number(args.viewers ?? 5000), rate = Number(args.rate ?? 100), seconds = Number(args.seconds ?? 20);
  const processes = Number(args.processes ?? 2), secret = args.secret ?? 'bench-secret';
  const rssBefore = rssKiB(args.pid);
  const children = [];
  const per = Math.ceil(viewers / processes);
  for (let k = 0; k < processes; k++) {
    const count = Math.min(per, viewers - k * per);
    const common = ['--port', args.port, '--count', String(count), '--first', String(k * per), '--silent', String(args.silent ?? 0)];
    children.push(args['viewers-binary'] ? nativeViewers(args['viewers-binary'], common) : nodeViewers(common));
  }
  const kids = await Promise.all(children);
  await new Promise((r) => setTimeout(r, 1000));
  const rssViewers = rssKiB(args.pid);

  const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
  const template = examples.find((e) => e.name === 'pull_request').examples.find((e) => e.action === 'closed');
  let sent = 0, failed = 0;
  const answers = [];  // ms from stamping a merge to its 2xx
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const started = now();
  while (now() - started < seconds * 1000) {
    const due = Math.floor(((now() - started) / 1000) * rate);
    while (sent < due) {
      const n = ++sent;
      const stamped = now();
      const payload = structuredClone(template);
      Object.assign(payload.pull_request, { number: n, title: `bench t=${stamped.toFixed(3)}`, merged: true,
        merged_at: '2026-12-02T10:00:00Z', updated_at: '2026-12-02T10:00:00Z',
        html_url: `https://github.com/example-org/framework/pull/${n}` });
      payload.pull_request.user.login = `user${n % Number(args.authors ?? 1000)}`;
      payload.pull_request.base.repo.full_name = 'example-org/framework';
      payload.pull_request.labels = [{ id: 1, name: 'bug' }];
      const body = JSON.stringify(payload);
      const signature = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
      // http.request over kept-alive sockets: fetch() cost this process several times the CPU,
      // which it took from the gateway and the viewers on the same two cores.
      const request = http.request({ host: '127.0.0.1', port: Number(args['hooks-port'] ?? args.port), path: '/hooks/github', method: 'POST', agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-GitHub-Event': 'pull_request',
          'X-GitHub-Delivery': `fan-${n}-${Math.round(started)}`, 'X-Hub-Signature-256': signature } },
        (response) => { answers.push(now() - stamped); if (response.statusCode !== 200) failed++; response.resume(); });
      request.on('error', () => failed++);
      request.end(body);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const reports = await Promise.all(kids.map((child) => child.report()));
  const histogram = new Array(BUCKETS + 1).fill(0);
  let frames = 0, bytes = 0, received = 0, snapshots = 0, readers = 0, closedSilent = 0;
  for (const r of reports) {
    for (const [i, v] of Object.entries(r.histogram)) { histogram[Number(i)] += v; received += v; }
    frames += r.frames; bytes += r.bytes; snapshots += r.snapshots; readers += r.readers; closedSilent += r.closedSilent ?? 0;
  }
  const rssAfter = rssKiB(args.pid);
  let max = 0;
  histogram.forEach((v, i) => { if (v) max = i / 2; });
  console.log(JSON.stringify({
    viewers, rate, seconds, merges_sent: sent, merges_failed: failed,
    webhook_answer_p50_ms: quantile(answers, 0.5), webhook_answer_p99_ms: quantile(answers, 0.99),
    reading_viewers: readers, silent_viewers: viewers - readers, silent_closed_by_server: closedSilent,
    deliveries_seen: received, expected_deliveries: sent * readers,
    p50_ms: percentile(histogram, received, 0.5), p99_ms: percentile(histogram, received, 0.99), max_ms: max,
    frames_per_viewer_per_s: frames / readers / seconds, bytes_per_viewer_per_s: Math.round(bytes / readers / seconds),
    resync_snapshots: snapshots - readers,
    gateway_rss_kib_before: rssBefore, gateway_rss_kib_with_viewers: rssViewers,
    rss_kib_per_viewer: Number(((rssViewers - rssBefore) / viewers).toFixed(2)), gateway_rss_kib_after: rssAfter,
  }));
  kids.forEach((k) => k.kill());
  process.exit(0);
}

// Viewers in a Node.js child (the ws package): ready when all are open.
function nodeViewers(common) {
  const child = fork(fileURLToPath(import.meta.url), ['--child', '1', ...common]);
  return new Promise((resolve, reject) => child.on('message', (m) => {
    if (m.ready) resolve({
      kill: () => child.kill(),
      report: () => new Promise((done) => { child.once('message', done); child.send({ report: true }); }),
    });
    if (m.error) reject(new Error(m.error));
  }));
}

// Viewers in bench/viewers.cpp: ready once every viewer has its snapshot.
function nativeViewers(binary, common) {
  const child = spawn(binary, common, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => { if (code) reject(new Error(`bench_viewers exited with ${code}`)); });
    lines.on('line', (line) => {
      if (line === 'ready') return resolve({
        kill: () => child.kill(),
        report: () => new Promise((done) => { waiting.push(done); child.stdin.write('report\n'); }),
      });
      waiting.shift()?.(JSON.parse(line));
    });
  });
}

function quantile(values, q) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1));
}
