// Two gateways and a receiver behind a real nginx with the shipped site config
// (deploy/nginx/leaderboard.conf, only its addresses changed): viewers spread over both
// gateways each get every update; webhooks, the API and a large delivery pass through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { contestConfig, deliver, flushDb, mergedPr, metric, redisUrl, startServer, waitReady, writeConfig } from './lib.mjs';

const SITE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'nginx', 'leaderboard.conf');

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The shipped site with this test's addresses in it, inside a minimal nginx.conf of its own.
function nginxConfig(dir, port, gateways, receiver) {
  let site = fs.readFileSync(SITE, 'utf8');
  const upstream = (name, servers) => {
    const block = new RegExp(`(upstream ${name} \\{[\\s\\S]*?)((?:\\s*server [^;]+;)+)`);
    assert.match(site, block);
    site = site.replace(block, (_, head) => head + servers.map((s) => `\n    server ${s} max_fails=3 fail_timeout=10s;`).join(''));
  };
  upstream('leaderboard_gateways', gateways);
  upstream('leaderboard_webhooks', [receiver]);
  site = site.replace('    listen 80;\n    listen [::]:80;', `    listen 127.0.0.1:${port};`);
  assert.ok(site.includes(`listen 127.0.0.1:${port};`));
  fs.writeFileSync(path.join(dir, 'leaderboard.conf'), site);
  const user = process.getuid() === 0 ? 'user root;\n' : '';
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/leaderboard.conf;
}
`);
  return path.join(dir, 'nginx.conf');
}

async function startNginx(port, gateways, receiver) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-nginx-'));
  const conf = nginxConfig(dir, port, gateways, receiver);
  execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', conf], { stdio: 'pipe' });
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stop: () => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGQUIT'); }) };
}

class Viewer {
  constructor(url) {
    this.frames = [];
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => this.frames.push(JSON.parse(String(data))));
    this.opened = new Promise((resolve, reject) => { this.ws.on('open', resolve); this.ws.on('error', reject); });
  }
  async until(predicate, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.frames)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('not seen; frames: ' + JSON.stringify(this.frames).slice(0, 400));
  }
  close() { this.ws.terminate(); }
}

test('viewers on two gateways behind nginx each get every update', async () => {
  flushDb(63);
  const config = writeConfig(contestConfig());
  const receiver = await startServer(config, redisUrl(63), { role: 'webhooks' });
  const gateways = [await startServer(config, redisUrl(63), { role: 'gateway' }), await startServer(config, redisUrl(63), { role: 'gateway' })];
  const port = await freePort();
  let nginx;
  const viewers = [];
  try {
    await Promise.all([receiver, ...gateways].map((s) => waitReady(s.base)));
    nginx = await startNginx(port, gateways.map((g) => g.base.replace('http://', '')), receiver.base.replace('http://', ''));
    const front = `http://127.0.0.1:${port}`;
    assert.equal((await fetch(`${front}/api/contests`)).status, 200);
    for (let i = 0; i < 10; i++) viewers.push(new Viewer(`ws://127.0.0.1:${port}/ws?contest=live&board=participants&limit=10`));
    await Promise.all(viewers.map((v) => v.opened));
    await Promise.all(viewers.map((v) => v.until((frames) => frames.some((f) => f.type === 'snapshot'))));
    const open = await Promise.all(gateways.map((g) => metric(g.base, 'lb_ws_sessions')));
    assert.equal(open[0] + open[1], 10);
    assert.ok(open[0] >= 1 && open[1] >= 1, `both gateways hold viewers: ${open}`);

    for (let number = 1; number <= 5; number++) {
      const answer = await deliver(front, mergedPr({ number, author: number % 2 ? 'Codertocat' : 'bob' }));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    const seen = (frames) => new Set(frames.filter((f) => f.type === 'update').flatMap((f) => f.events.map((e) => e.number)));
    await Promise.all(viewers.map((v) => v.until((frames) => seen(frames).size === 5)));
    for (const viewer of viewers) {
      const rows = new Map();
      for (const frame of viewer.frames) for (const row of frame.rows ?? []) rows.set(row.id, row.points);
      assert.deepEqual([...rows.entries()].sort(), [['bob', 22], ['octo', 33]]);
    }

    // A delivery of 2 MB (a PR with a long description) passes nginx's body limit for hooks.
    const large = mergedPr({ number: 6 });
    large.pull_request.body = 'x'.repeat(2 * 1024 * 1024);
    assert.equal((await deliver(front, large)).status, 200);
    // Elsewhere the limit stays small: nginx refuses a 2 MB body to the API before any gateway sees it.
    const refused = await fetch(`${front}/api/contests/live/adjustments`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(refused.status, 413);
    assert.match(refused.headers.get('content-type'), /text\/html/);  // nginx's page, not the gateway's JSON
  } finally {
    viewers.forEach((v) => v.close());
    if (nginx) await nginx.stop();
    await Promise.all([receiver, ...gateways].map((s) => s.stop()));
  }
});
