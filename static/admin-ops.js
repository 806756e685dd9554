// The console's operations tab (/ops): who registered and who took part, new contributors and
// whether they stayed, the funnel, the wait for a first merge, and merges per day per chapter.
// The figures are the API's (GET /api/contests/{id}/operations, or a season's over all its
// contests, GET /api/seasons/{id}/operations); docs/design.md defines them.
import { api, contestPath, el, state, t, toast } from './admin-kit.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#94a3b8'];
let kind = '';
let scope = '';       // '' for the contest in view, else a season's id
let seasons = null;   // the configured seasons, asked once

async function seasonList() {
  if (seasons === null) {
    const answer = await api('GET', '/api/seasons');
    seasons = answer.status === 200 ? answer.body.seasons : [];
  }
  return seasons;
}

const figuresPath = () => (scope ? `/api/seasons/${encodeURIComponent(scope)}/operations` : contestPath('/operations'));

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`);
const chapterName = (row) => (state.lang === 'zh' ? row.name.zh || row.name.en : row.name.en) || row.id;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// Stacked bars: one per day, a colour per chapter that merged at all.
function dailyChart(report) {
  const days = report.daily.days;
  const rows = report.chapters.filter((r) => (report.daily.chapters[r.id] ?? []).some((n) => n > 0));
  const totals = days.map((_, i) => rows.reduce((sum, r) => sum + report.daily.chapters[r.id][i], 0));
  const top = Math.max(1, ...totals);
  const width = 720, height = 220, left = 36, bottom = 28, plot = height - bottom - 8;
  const step = days.length ? (width - left) / days.length : 0;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'daily-chart', role: 'img', 'aria-label': t('ops.dailyTitle') });
  // Whole numbers only: every one up to 4, else none, half and the top.
  const ticks = top <= 4 ? Array.from({ length: top + 1 }, (_, i) => i) : [0, Math.round(top / 2), top];
  for (const value of ticks) {
    const y = 8 + plot * (1 - value / top);
    chart.append(svg('line', { x1: left, x2: width, y1: y, y2: y, class: 'rule' }),
      svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, value));
  }
  days.forEach((dayName, i) => {
    let y = 8 + plot;
    rows.forEach((r, k) => {
      const count = report.daily.chapters[r.id][i];
      if (!count) return;
      const h = (plot * count) / top;
      y -= h;
      chart.append(svg('rect', { x: left + i * step + step * 0.15, y, width: Math.max(1, step * 0.7), height: h,
        fill: COLORS[k % COLORS.length], 'data-day': dayName, 'data-chapter': r.id }, svg('title', {}, `${dayName} · ${chapterName(r)}: ${count}`)));
    });
    const every = Math.ceil(days.length / 10);
    if (i % every === 0) chart.append(svg('text', { x: left + i * step + step / 2, y: height - 10, 'text-anchor': 'middle', class: 'tick' }, dayName.slice(5)));
  });
  const legend = el('ul', { class: 'legend' }, rows.map((r, k) =>
    el('li', {}, svg('svg', { class: 'swatch', viewBox: '0 0 10 10' }, svg('rect', { width: 10, height: 10, fill: COLORS[k % COLORS.length] })),
      chapterName(r))));
  return [chart, legend];
}

async function download(path, name) {
  const answer = await fetch(path, { headers: { Authorization: `Bearer ${sessionStorage.getItem('lb-console-token') ?? ''}` } });
  if (!answer.ok) return toast(`${answer.status}`, 'error');
  const link = el('a', { href: URL.createObjectURL(await answer.blob()), download: name });
  link.click();
  URL.revokeObjectURL(link.href);
}

function waitText(wait) {
  if (!wait.members) return t('ops.noMembers');
  const main = wait.measured ? t('ops.wait', wait.median_hours, wait.p90_hours, wait.measured, wait.members) : t('ops.noWait', wait.members);
  return wait.merged_before_registering ? `${main} ${t('ops.before', wait.merged_before_registering)}` : main;
}

export async function operationsView(section) {
  const listed = await seasonList();
  if (scope && !listed.some((s) => s.id === scope)) scope = '';
  const answer = await api('GET', `${figuresPath()}${kind ? `?kind=${kind}` : ''}`);
  if (answer.status === 404 && answer.body.error === 'community_closed')
    return section.replaceChildren(el('h2', {}, t('tab.ops')), el('p', { class: 'muted' }, t('communityClosed')));
  if (answer.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  const r = answer.body;
  kind = r.kind;
  const card = (label, value, id, note) => el('div', { class: 'card', 'data-card': id }, el('span', { class: 'label' }, label),
    el('strong', {}, value), note ? el('span', { class: 'note' }, note) : null);
  const pending = (days) => (r.retention_complete[days] ? null : t('ops.stillOpen', days));
  const picker = el('select', { id: 'ops-kind', 'aria-label': t('ops.kind'), onchange: (e) => { kind = e.target.value; operationsView(section); } },
    ['city', 'school', 'company'].map((k) => el('option', { value: k, selected: k === r.kind }, t(`ops.kind.${k}`))));
  const title = (s) => (state.lang === 'zh' ? s.title.zh || s.title.en : s.title.en) || s.id;
  const scopePicker = listed.length ? el('select', { id: 'ops-scope', 'aria-label': t('ops.scope'),
    onchange: (e) => { scope = e.target.value; operationsView(section); } },
  el('option', { value: '', selected: !scope }, t('ops.scope.contest')),
  listed.map((s) => el('option', { value: s.id, selected: s.id === scope }, t('ops.scope.season', title(s))))) : null;
  const heading = ['chapter', 'registered', 'active', 'merged', 'merged_again', 'new_contributors', 'retained_30', 'retained_90', 'merges'];
  const line = (row, attrs) => el('tr', attrs, el('td', {}, row.id === 'total' ? t('ops.total') : chapterName(row)),
    heading.slice(1).map((key) => el('td', { class: 'num', 'data-col': key }, row[key])));
  const shown = r.chapters.filter((row) => row.registered || row.merges || row.new_contributors || !['none', 'not_member', 'unregistered'].includes(row.id));
  const wait = r.time_to_first_merge;
  const base = figuresPath();
  const file = scope ? `season-${scope}` : state.contest;
  section.replaceChildren(
    el('h2', {}, t('tab.ops')),
    scopePicker ? el('p', { class: 'scope' }, el('label', { for: 'ops-scope' }, t('ops.scope')), ' ', scopePicker) : null,
    el('p', { class: 'muted' }, t(scope ? 'ops.seasonWindow' : 'ops.window', r.starts_at.slice(0, 10), r.ends_at.slice(0, 10)), ' ', picker),
    el('div', { class: 'cards' },
      card(t('ops.registered'), r.totals.registered, 'registered'), card(t('ops.active'), r.totals.active, 'active'),
      card(t('ops.newContributors'), r.totals.new_contributors, 'new'),
      card(t('ops.retained', 30), percent(r.retention.rate_30), 'retained-30', pending('30')),
      card(t('ops.retained', 90), percent(r.retention.rate_90), 'retained-90', pending('90'))),
    el('h3', {}, t('ops.funnel')),
    el('ol', { class: 'funnel', id: 'funnel' },
      el('li', { 'data-step': 'registered' }, el('strong', {}, r.funnel.registered), t('ops.step.registered')),
      el('li', { 'data-step': 'merged' }, el('strong', {}, r.funnel.merged), t(scope ? 'ops.step.mergedSeason' : 'ops.step.merged'), el('span', { class: 'rate' }, percent(r.funnel.registered_to_merged))),
      el('li', { 'data-step': 'merged_again' }, el('strong', {}, r.funnel.merged_again), t('ops.step.mergedAgain'), el('span', { class: 'rate' }, percent(r.funnel.merged_to_merged_again)))),
    el('p', { id: 'time-to-merge' }, waitText(wait)),
    el('h3', {}, t('ops.byChapter')),
    el('table', { class: 'grid', id: 'ops-chapters' },
      el('thead', {}, el('tr', {}, heading.map((key, i) => el('th', { class: i ? 'num' : null }, t(`ops.col.${key}`))))),
      el('tbody', {}, shown.map((row) => line(row, { 'data-chapter': row.id })), line(r.totals, { class: 'total', 'data-chapter': 'total' }))),
    el('h3', {}, t('ops.dailyTitle')),
    el('figure', { class: 'daily' }, dailyChart(r)),
    el('p', { class: 'actions' },
      el('button', { type: 'button', id: 'ops-csv', onclick: () => download(`${base}?kind=${r.kind}&format=csv`, `${file}-operations.csv`) }, t('ops.csv')),
      el('button', { type: 'button', id: 'ops-daily-csv', onclick: () => download(`${base}?kind=${r.kind}&format=csv&table=daily`, `${file}-merges-per-day.csv`) }, t('ops.dailyCsv'))),
    el('p', { class: 'muted' }, t('ops.definitions'), scope ? ` ${t('ops.seasonNote')}` : null));
}
