// Frame times of the live board in Chromium: 1,000 rows (names, chapter chips, a PR count,
// points) drawn by the page's own BoardView and row code, and a change on every frame
// (ten rows score and the board re-sorts: updates at the full frame rate). Reads a
// Chromium performance trace (the compositor's frames) and the requestAnimationFrame
// intervals; prints p50/p95/p99 of each.
// usage: node bench/frames.mjs --base http://127.0.0.1:PORT [--rows 1000] [--seconds 10] [--width 1920 --height 1080]
//        [--static DIR: the page's files from DIR instead of the server, to compare two builds of static/]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/node/package.json'));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (value.startsWith('--') ? [...pairs, [value.slice(2), all[i + 1]]] : pairs), []));
const rows = Number(args.rows ?? 1000), seconds = Number(args.seconds ?? 10);
const width = Number(args.width ?? 1920), height = Number(args.height ?? 1080);

// The harness page: the page's stylesheet and modules, fed synthetic rows instead of a socket.
const harness = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/style.css"></head>
<body><main><div id="board-grid" class="board-grid"><div id="heading" class="rowgrid heading-row"></div><ol id="rows" class="rows"></ol></div></main>
<script type="module" src="/bench-frames.js"></script></body></html>`;
const script = `
import { BoardView } from '/board-view.js';
import { buildRow, fillRow } from '/render.js';
const teams = new Map();
for (let i = 0; i < 10; i++) {
  teams.set('city' + i, { name: { en: 'City ' + i, zh: '城市' + i }, kind: 'city', branding: {} });
  teams.set('school' + i, { name: { en: 'School of Engineering ' + i, zh: '大学' + i }, kind: 'school', branding: {} });
}
const people = Array.from({ length: ${rows} }, (_, i) => ({ id: 'user' + i, name: 'Participant ' + i, points: 1000 - i, reached_at: i,
  teams: { city: 'city' + (i % 10), school: 'school' + (i % 10) } }));
const cells = {};
people.forEach((p) => { cells[p.id] = { prs: Math.round(p.points / 11) }; });
const columns = [{ key: 'prs', kind: 'count', label: () => 'PRs', cell: (c) => ({ text: c ? String(c.prs) : '' }) }];
document.documentElement.style.setProperty('--cells', '4em');
const ctx = { lang: 'en', teams, columns, cells, me: 'user500', reveal: () => null };
const view = new BoardView(document.getElementById('rows'), { build: buildRow, update: (li, row, old) => fillRow(li, row, old, ctx) });
// The fit of the board, as the page runs it after every render (a static/ without fit.js has none).
const fit = await import('/fit.js').then(({ BoardFit }) => new BoardFit(document.getElementById('board-grid'), { phone: false, afterFit: () => false }), () => null);
const drawn = view.render.bind(view);
view.render = (rows) => { drawn(rows); if (fit) fit.request(columns.length, 'bench'); };
view.setRowHeight(48);
const ranked = () => {
  const sorted = [...people].sort((a, b) => b.points - a.points || a.reached_at - b.reached_at);
  return sorted.map((p, i) => ({ ...p, rank: i + 1 }));
};
let board = ranked();
view.render(board);
const intervals = [], work = [];
let last = 0, clock = ${rows};
function frame(t) {
  if (last) intervals.push(t - last);
  last = t;
  const start = performance.now();
  for (let k = 0; k < 10; k++) {
    const p = people[Math.floor(Math.random() * people.length)];
    p.points += 1 + Math.floor(Math.random() * 11);
    p.reached_at = ++clock;
    cells[p.id] = { prs: cells[p.id].prs + 1 };
  }
  const next = ranked();
  const old = new Map(board.map((r) => [r.id, r]));
  // Rows whose rank and points did not move keep their object, as the live board's do.
  board = next.map((r) => { const o = old.get(r.id); return o && o.rank === r.rank && o.points === r.points ? o : r; });
  view.render(board);
  work.push(performance.now() - start);
  if (!window.stopFrames) requestAnimationFrame(frame);
}
window.frameStats = () => ({ intervals, work });
requestAnimationFrame(frame);
`;

const browser = await chromium.launch({ executablePath: process.env.LB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width, height } });
await page.route('**/bench-frames.html', (route) => route.fulfill({ contentType: 'text/html', body: harness }));
await page.route('**/bench-frames.js', (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
if (args.static) {
  await page.route(/\/[\w-]+\.(js|css)$/, (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    if (name === 'bench-frames.js') return route.fallback();
    const file = path.join(args.static, name);
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript', body: fs.readFileSync(file) });
  });
}
await page.goto(`${args.base}/bench-frames.html`);
await page.waitForFunction(() => window.frameStats && window.frameStats().intervals.length > 30);
const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-trace-')), 'trace.json');
await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel'] });
const skip = await page.evaluate(() => window.frameStats().intervals.length);
await page.waitForTimeout(seconds * 1000);
const traced = await browser.stopTracing();
const stats = await page.evaluate((n) => { window.stopFrames = true; const s = window.frameStats(); return { intervals: s.intervals.slice(n), work: s.work.slice(n) }; }, skip);
await browser.close();

const q = (values, p) => { const s = [...values].sort((a, b) => a - b); return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2)); };
const summary = (values) => ({ count: values.length, p50: q(values, 0.5), p95: q(values, 0.95), p99: q(values, 0.99) });
// The trace's frames: the compositor's DrawFrame events of the page's renderer, as intervals.
const events = JSON.parse(traced.toString()).traceEvents ?? [];
const draws = events.filter((e) => e.name === 'DrawFrame').map((e) => e.ts / 1000).sort((a, b) => a - b);
const drawIntervals = draws.slice(1).map((t, i) => t - draws[i]);
// Main-thread tasks per frame: the longest tasks the renderer ran (script, style, layout, paint).
const tasks = events.filter((e) => e.name === 'RunTask' && e.dur).map((e) => e.dur / 1000);
const byName = {};
for (const e of events) if (e.dur && e.ph === 'X') byName[e.name] = (byName[e.name] ?? 0) + e.dur / 1000;
if (args.breakdown) console.error(Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join('\n'));
console.log(JSON.stringify({ static: args.static ?? 'server', rows, seconds, viewport: `${width}x${height}`, chromium: browser.version?.() ?? undefined,
  raf_interval_ms: summary(stats.intervals), update_script_ms: summary(stats.work),
  trace_draw_frame_interval_ms: drawIntervals.length ? summary(drawIntervals) : null,
  trace_main_thread_task_ms: tasks.length ? summary(tasks) : null }));
