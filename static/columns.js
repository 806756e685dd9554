// The views by contest kind: what each individual's row shows between name and points.
// A bug bash counts merged PRs, a reproduction contest has a column per model (✓ with the
// time, the first reproduction marked, pending submissions as pending), a training camp a
// column per judged component with its name and weight. Names come from the config.
import { translate } from './i18n.js';

const local = (text, lang) => (text && typeof text === 'object' ? text[lang] || text.en : text);

// Today's reproductions show the time alone, so a cell fits its column beside three others.
function when(at, lang, now = new Date()) {
  const d = new Date(at);
  const pad = (x) => String(x).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) return time;
  return lang === 'zh' ? `${d.getMonth() + 1}/${d.getDate()} ${time}` : `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()} ${time}`;
}

export function columnsFor(contest, board) {
  if (!contest || board !== 'participants') return [];
  const rules = contest.rules || {};
  const columns = [];
  if (rules.pull_requests) {
    columns.push({ key: 'prs', kind: 'count', label: (lang) => translate(lang, 'prs'),
      cell: (cells) => ({ text: cells && cells.prs !== undefined ? String(cells.prs) : '' }) });
  }
  for (const model of (rules.reproductions || {}).models || []) {
    columns.push({ key: `model:${model.id}`, kind: 'model', label: (lang) => local(model.name, lang),
      cell: (cells, lang) => {
        const cell = cells && cells.models && cells.models[model.id];
        if (!cell) return { text: '' };
        if (cell.state === 'pending') return { text: translate(lang, 'pending'), cls: 'pending' };
        return { text: `✓ ${when(cell.at, lang)}`, cls: cell.first ? 'solved first' : 'solved', title: cell.first ? translate(lang, 'first_bonus') : '' };
      } });
  }
  for (const component of rules.components || []) {
    columns.push({ key: `component:${component.id}`, kind: 'score', label: (lang) => `${local(component.name, lang) || component.id} ×${component.weight}`,
      cell: (cells) => ({ text: cells && cells.components && cells.components[component.id] !== undefined ? String(cells.components[component.id]) : '–' }) });
  }
  return columns;
}

export function componentName(contest, id, lang) {
  const component = ((contest && contest.rules && contest.rules.components) || []).find((c) => c.id === id);
  return (component && local(component.name, lang)) || id;
}

// A board's tab: a judged component by its name in the config, every other board from the i18n table.
export function boardLabel(contest, board, lang) {
  const id = board.startsWith('component:') ? board.slice('component:'.length) : null;
  const judged = id && ((contest && contest.rules && contest.rules.components) || []).some((c) => c.id === id);
  return judged ? componentName(contest, id, lang) : translate(lang, board);
}

// The title a final rank earns ("1st prize"), from the config's placings; '' for none.
export function placingTitle(contest, rank, lang) {
  const placing = ((contest && contest.placings) || []).find((p) => rank >= p.from && rank <= p.to);
  return placing ? local(placing.title, lang) || '' : '';
}

export function pointsLabel(contest, lang) {
  return (contest && contest.rules && contest.rules.components) ? translate(lang, 'weightedTotal') : translate(lang, 'total');
}

// The cells of the rows on show, fetched at most once a second when those rows change.
export class CellCache {
  constructor(onChange) {
    this.onChange = onChange;
    this.rows = {};
    this.ids = [];
    this.timer = null;
    this.last = 0;
    this.mergedPrs = null;
  }

  want(contestId, ids) {
    this.contestId = contestId;
    this.ids = ids;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => this.load(), Math.max(0, 1000 - (Date.now() - this.last)));
  }

  async load() {
    this.timer = null;
    this.last = Date.now();
    if (!this.ids.length || !this.dirty) return;
    this.dirty = false;
    // The contest-wide merged PR count once; moments count on from it.
    const query = `ids=${encodeURIComponent(this.ids.join(','))}${this.mergedPrs === null ? '&totals=1' : ''}`;
    try {
      const response = await fetch(`/api/contests/${encodeURIComponent(this.contestId)}/cells?${query}`);
      if (!response.ok) return;
      const answer = await response.json();
      Object.assign(this.rows, answer.rows);
      if (answer.merged_prs !== undefined) this.mergedPrs = answer.merged_prs;
      this.onChange();
    } catch { /* the next change asks again */ }
  }
}
