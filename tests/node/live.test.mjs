// Black-box tests of the live gateway over loopback: real processes, real Redis, real WebSockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { contestConfig, deliver, flushDb, mergedPr, metric, redisUrl, rssKiB, startServer, waitReady, writeConfig, ADMIN_TOKEN } from './lib.mjs';

function upgradeRequest(path, extra = '') {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
}

// The first line of the answer to a hand-written upgrade request.
function rawUpgrade(base, path, extra = '') {
  const { port, hostname } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: hostname }, () => socket.write(upgradeRequest(path, extra)));
    socket.once('data', (data) => { resolve(String(data).split('\r\n')[0]); socket.destroy(); });
    socket.on('error', reject);
  });
}

// Collects the frames of one viewer and waits for the ones a test expects.
class Viewer {
  constructor(url) {
    this.frames = [];
    this.waiters = [];
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => !w(frame));
    });
    this.opened = new Promise((resolve, reject) => { this.ws.on('open', resolve); this.ws.on('error', reject); });
  }
  next(predicate, timeoutMs = 3000) {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame; got ' + JSON.stringify(this.frames).slice(0, 500))), timeoutMs);
      this.waiters.push((frame) => { if (!predicate(frame)) return false; clearTimeout(timer); resolve(frame); return true; });
    });
  }
  send(message) { this.ws.send(JSON.stringify(message)); }
  close() { this.ws.terminate(); }
}

// A server on a fresh database and `count` viewers of one board, each with its snapshot.
async function serverWithViewers(db, count, limit) {
  flushDb(db);
  const server = await startServer(writeConfig(contestConfig()), redisUrl(db));
  const viewers = [];
  const stop = async () => { viewers.forEach((v) => v.close()); await server.stop(); };
  try {
    await waitReady(server.base);
    for (let i = 0; i < count; i++) viewers.push(new Viewer(`${server.ws}/ws?contest=live&board=participants&limit=${limit}`));
    const snapshots = await Promise.all(viewers.map((v) => v.next((f) => f.type === 'snapshot', 15000)));
    return { server, viewers, snapshots, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

test('a viewer gets a snapshot, then an update from a receiver in another process', async () => {
  flushDb(50);
  const config = writeConfig(contestConfig());
  const receiver = await startServer(config, redisUrl(50), { role: 'webhooks' });
  const gateway = await startServer(config, redisUrl(50), { role: 'gateway' });
  try {
    await waitReady(gateway.base);
    assert.equal((await fetch(`${receiver.base}/api/contests`)).status, 404);  // the receiver serves hooks only
    const viewer = new Viewer(`${gateway.ws}/ws?contest=live&board=teams:city&limit=10`);
    const snapshot = await viewer.next((f) => f.type === 'snapshot');
    assert.equal(snapshot.board, 'teams:city');
    assert.equal(snapshot.frozen, false);
    assert.deepEqual(snapshot.rows, []);
    assert.equal(snapshot.contest.title.zh, '直播测试');
    assert.equal((await deliver(receiver.base, mergedPr({ number: 7 }))).status, 200);
    const update = await viewer.next((f) => f.type === 'update');
    assert.equal(update.seq, snapshot.seq + 1);
    assert.deepEqual(update.rows.map((r) => [r.id, r.points, r.rank]), [['shanghai', 11, 1]]);
    assert.equal(update.events[0].url, 'https://github.com/Codertocat/Hello-World/pull/7');
    assert.equal(update.events[0].participant_name, 'Octo');
    assert.equal(update.events[0].team.name_zh, '上海');
    assert.equal(update.events[0].delta, 11);
    viewer.close();
  } finally {
    await receiver.stop();
    await gateway.stop();
  }
});

test('a resync request gets a fresh snapshot; bad subscriptions get an error frame', async () => {
  flushDb(51);
  const config = writeConfig(contestConfig());
  const server = await startServer(config, redisUrl(51));
  try {
    await waitReady(server.base);
    const viewer = new Viewer(`${server.ws}/ws?contest=live&board=participants&limit=5&me=bob`);
    await viewer.next((f) => f.type === 'snapshot');
    await deliver(server.base, mergedPr({ number: 1, author: 'bob' }));
    await deliver(server.base, mergedPr({ number: 2 }));
    // Wait for PR 2's own event: octo's row may already show in the update PR 1 triggered
    // (the board is read after both were applied), before PR 2 reaches the hub's event list.
    const update = await viewer.next((f) => f.type === 'update' && f.events.some((e) => e.number === 2));
    assert.ok((await viewer.next((f) => f.type === 'update' && f.rows.some((r) => r.id === 'octo'))).seq <= update.seq);
    const me = await viewer.next((f) => f.type === 'me' && f.row !== null);
    assert.equal(me.row.id, 'bob');
    viewer.frames = [];
    viewer.send({ type: 'resync' });  // what a client does when it sees a gap in seq
    const fresh = await viewer.next((f) => f.type === 'snapshot');
    assert.deepEqual(fresh.rows.map((r) => r.id), ['bob', 'octo']);  // equal points: bob reached them first? same time: id order
    assert.ok(fresh.seq >= 1);
    assert.equal(fresh.events.length, 2);
    viewer.send({ type: 'subscribe', contest: 'live', board: 'teams:province' });
    const error = await viewer.next((f) => f.type === 'error');
    assert.match(error.message, /board/);
    viewer.send({ type: 'subscribe', contest: 'live', board: 'participants', admin_token: 'wrong' });
    await viewer.next((f) => f.type === 'error' && /admin_token/.test(f.message));
    viewer.send({ type: 'subscribe', contest: 'live', board: 'teams', admin_token: ADMIN_TOKEN });
    const admin = await viewer.next((f) => f.type === 'snapshot' && f.board === 'teams');
    assert.equal(admin.frozen, false);
    viewer.close();
    assert.match(await rawUpgrade(server.base, '/ws?contest=live&limit=9999'), /^HTTP\/1.1 400/);
    assert.match(await rawUpgrade(server.base, '/ws?contest=live', 'Origin: https://evil.example\r\n'), /^HTTP\/1.1 101/);  // no allow-list set
  } finally {
    await server.stop();
  }
});

test('a viewer that never reads cannot grow the server past its queue cap, and is closed', async () => {
  flushDb(52);
  const config = writeConfig(contestConfig({ queueBytes: 16384, stuckSeconds: 2 }));
  // Under AddressSanitizer freed memory would wait in a quarantine and RSS would say nothing:
  // without one, freed frames are reused as in the release build, and the same bound holds.
  const sanitized = process.env.LB_SANITIZED ? { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0` } : {};
  const server = await startServer(config, redisUrl(52), { env: sanitized });
  try {
    await waitReady(server.base);
    const { port } = new URL(server.base);
    // A viewer that subscribes and then never reads, with a tiny receive window so the server
    // feels it at once (a phone on a dead network looks the same, only slower).
    const stuck = spawn('python3', ['-c', `
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", ${port}))
s.sendall(sys.argv[1].encode())
time.sleep(60)`, upgradeRequest('/ws?contest=live&board=participants&limit=200')], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const before = rssKiB(server.child.pid);
    const longTitle = 'x'.repeat(20000);
    let maxQueued = 0;
    for (let i = 0; i < 400; i++) {
      await deliver(server.base, mergedPr({ number: 1000 + i, title: `${longTitle} ${i}` }));
      if (i % 20 === 0) maxQueued = Math.max(maxQueued, await metric(server.base, 'lb_ws_queued_bytes'));
    }
    await new Promise((r) => setTimeout(r, 2500));
    await deliver(server.base, mergedPr({ number: 5000 }));
    await new Promise((r) => setTimeout(r, 500));
    console.log('stuck viewer:', { maxQueued, dropped: await metric(server.base, 'lb_ws_frames_dropped_total'),
      closed: await metric(server.base, 'lb_ws_closed_slow_total'), sent: await metric(server.base, 'lb_ws_frames_sent_total') });
    // The cap, plus the one frame being written (at most 50 events with clipped titles and 200 rows).
    assert.ok(maxQueued <= 16384 + 128 * 1024, `queued ${maxQueued} bytes`);
    assert.ok(await metric(server.base, 'lb_ws_frames_dropped_total') > 0);
    assert.ok(await metric(server.base, 'lb_ws_closed_slow_total') >= 1);
    assert.equal(await metric(server.base, 'lb_ws_sessions'), 0);
    // The server's own account (the gauge above) and the kernel's: RSS stays within the bound.
    const growth = rssKiB(server.child.pid) - before;
    console.log('RSS growth while a viewer was stuck:', growth, 'KiB');
    assert.ok(growth < 30000, `RSS grew by ${growth} KiB`);
    stuck.kill();
  } finally {
    await server.stop();
  }
});

test('1,000 concurrent viewers all get the update', async () => {
  const { server, viewers, stop } = await serverWithViewers(53, 1000, 10);
  try {
    assert.equal(await metric(server.base, 'lb_ws_sessions'), 1000);
    await deliver(server.base, mergedPr({ number: 77 }));
    const updates = await Promise.all(viewers.map((v) => v.next((f) => f.type === 'update', 10000)));
    assert.equal(updates.length, 1000);
    assert.ok(updates.every((u) => u.events[0].url.endsWith('/pull/77')));
  } finally {
    await stop();
  }
});

test('a large audience is spread over staggered slots: every viewer gets every merge once, in order, at most ~12 frames a second', async () => {
  // Past 256 viewers on one board the hub spreads newcomers over 8 phases.
  const { server, viewers, snapshots, stop } = await serverWithViewers(54, 600, 10);
  try {
    const started = Date.now();
    const merges = 30;
    for (let n = 1; n <= merges; n++) {
      await deliver(server.base, mergedPr({ number: 500 + n }));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await Promise.all(viewers.map((v) => v.next((f) => f.type === 'update' && f.events.some((e) => e.url.endsWith(`/pull/${500 + merges}`)), 10000)));
    const elapsed = Date.now() - started;
    viewers.forEach((viewer, i) => {
      const updates = viewer.frames.filter((f) => f.type === 'update');
      const urls = updates.flatMap((u) => u.events.map((e) => e.url));
      assert.equal(urls.length, merges, `viewer ${i} saw each merge once`);
      assert.equal(new Set(urls).size, merges);
      updates.forEach((u, k) => assert.equal(u.seq, snapshots[i].seq + k + 1, `viewer ${i}: seq without gaps`));
      // One frame per 80 ms slot at most (frames are at least 40 ms apart when sent).
      assert.ok(updates.length <= Math.floor(elapsed / 80) + 2, `viewer ${i}: ${updates.length} frames in ${elapsed} ms`);
    });
    // Coalescing happened: 30 merges 40 ms apart cannot each have had a frame of their own.
    assert.ok(viewers.every((v) => v.frames.filter((f) => f.type === 'update').length < merges));
  } finally {
    await stop();
  }
});
