// The live leaderboard page in three shapes: the desktop board with tabs, the big screen
// (?screen=1: the chapter race beside the top individuals, moments, the stage reveal, a QR
// code for phones) and the phone view (find yourself, pin your row, your awards, share).
import { duration, pickLanguage, translate } from './i18n.js';
import { LiveBoard } from './live.js';
import { BoardView } from './board-view.js';
import { CellCache, boardLabel, columnsFor, componentName, placingTitle, pointsLabel } from './columns.js';
import { MomentQueue, firstReproductions, milestonesCrossed, newMergedPrs, topThreeEntries } from './moments.js';
import { Presenter, presenterKeys, revealMark } from './reveal.js';
import { RacePanel } from './race.js';
import { buildRow, element, fillRow, levelText, playReveal, renderAwards, renderChart, renderHeading, renderTicker, rowName } from './render.js';
import { Finder, shareLink } from './phone.js';
import { BoardFit } from './fit.js';
import { SessionBox } from './session.js';
import { HomeworkBox } from './homework.js';
import { VoteBox } from './vote.js';

const params = new URLSearchParams(location.search);
const screenMode = params.get('screen') === '1';
const phoneMode = !screenMode && (params.get('view') === 'phone' || matchMedia('(max-width: 600px)').matches);
const momentsOn = params.get('moments') !== '0' && !phoneMode;
const $ = (id) => document.getElementById(id);
const state = {
  lang: pickLanguage(location.search, navigator.language),
  contests: [], contest: null, meta: null, teams: new Map(), board: params.get('board') || 'participants',
  status: 'connecting', rows: [], events: [], me: null, times: null,
  frozen: false, reveal: null, limit: phoneMode ? 20 : 50, mergedPrs: null,
};
const t = (key, ...args) => translate(state.lang, key, ...args);
const pinKey = () => `lb-pin:${state.contest}`;
// Whose row is "mine": a shared link's, a pinned one, or the signed-in visitor's own.
const meId = () => params.get('me') || localStorage.getItem(pinKey()) || session.participant() || '';
const moments = new MomentQueue($('moment'));
// A signed-in visitor's own row is "mine" unless a link or a pin says otherwise.
const session = new SessionBox($('session'), { lang: () => state.lang, onParticipant: () => {
  subscribe(); drawMe(); redrawRows();
  if (!session.participant()) homework.clear();
}, onChange: () => votes.load(state.meta) });  // the votes once per reading of the session: who may vote
const homework = new HomeworkBox($('homework'), { contest: () => state.contest, lang: () => state.lang });
const votes = new VoteBox($('vote'), { contest: () => state.contest, lang: () => state.lang });
// Who is signed in, their homework when they take part in this contest, and (through onChange) the votes.
async function loadVisitor() {
  await session.load(state.contest);
  if (session.participant()) homework.load(); else homework.clear();
}
const cells = new CellCache(() => {});
// What every row is drawn with; built again when any of it changes, not for every row.
let rowContext = null;
function newRowContext() {
  const columns = columnsFor(state.meta, state.board);
  rowContext = { lang: state.lang, teams: state.teams, columns, columnsKey: `${state.contest}|${state.board}|${state.lang}|${columns.length}`,
    cells: cells.rows, me: meId(), reveal: (row) => revealMark(row, state.reveal, state.board),
    placing: state.meta && state.meta.final && state.board === 'participants' ? (row) => placingTitle(state.meta, row.rank, state.lang) : null };
  return rowContext;
}
function redrawRows() { newRowContext(); board.refresh(); requestFit(); }
const board = new BoardView($('rows'), {
  build: buildRow, update: (li, row, old) => fillRow(li, row, old, rowContext || newRowContext()), onPick: (row) => openDetail(row),
});
// Every total and name drawn whole: the board gives way step by step (fit.js).
const fit = new BoardFit($('board-grid'), { phone: phoneMode, afterFit: () => {
  const before = board.rowHeight;
  layout();
  if (board.rowHeight === before) return false;
  board.render(state.rows);
  return true;
} });
function requestFit() {
  if (!state.meta) return;
  fit.request(phoneMode ? 0 : columnsFor(state.meta, state.board).length, `${state.contest}|${state.board}|${state.lang}`);
}

function moment(text, kind) { if (momentsOn) moments.push(text, kind); }
function teamName(id) { const team = state.teams.get(id); return team ? team.name[state.lang] || team.name.en : id; }

const live = new LiveBoard({
  onState: (status, frame) => {
    state.status = status;
    if (frame && frame.contest) state.times = frame.contest;
    drawChrome();
  },
  onRows: (rows, info) => {
    if (!info.snapshot) for (const m of topThreeEntries(state.rows, rows)) moment(t('momentTop3', rowName(rows.find((r) => r.id === m.id), state.lang), m.rank), 'top3');
    state.rows = rows;
    drawRows();
    // Unfrozen without a stage reveal: the final rows play in from the bottom.
    if (info.reveal && !(state.reveal && state.reveal.active)) playReveal($('rows'));
  },
  onEvents: (events, { snapshot }) => {
    state.events = snapshot ? events : [...state.events, ...events].slice(-50);
    renderTicker($('ticker'), state.events, state.lang, names);
    if (snapshot) return;
    for (const m of firstReproductions(events)) moment(t('momentFirst', m.name, modelName(m.model)), 'first');
    for (const e of events.filter((x) => x.source === 'level_up'))
      moment(t('momentLevel', e.participant_name || e.participant, levelText(e, state.lang)), 'milestone');
    if (state.mergedPrs !== null) {
      const before = state.mergedPrs;
      state.mergedPrs += newMergedPrs(events);
      for (const m of milestonesCrossed(before, state.mergedPrs)) moment(t('momentMilestone', m.count), 'milestone');
    }
  },
  onMe: (row) => { state.me = row; drawMe(); },
  onReveal: (reveal) => followReveal(reveal),
  onError: (message) => { $('status').textContent = message; $('status').className = 'status error'; },
});

const race = new RacePanel($('race'), {
  context: (raceBoard) => ({ lang: state.lang, teams: state.teams, reveal: (row) => revealMark(row, state.reveal, raceBoard) }),
  onLead: (id) => moment(t('momentLead', teamName(id)), 'lead'),
  onReveal: (reveal) => followReveal(reveal),
});

function modelName(id) {
  const model = ((state.meta.rules.reproductions || {}).models || []).find((m) => m.id === id);
  if (!model) return id || '';
  return typeof model.name === 'object' ? model.name[state.lang] || model.name.en : model.name;
}

const names = { model: modelName, component: (id) => componentName(state.meta, id, state.lang) };

function followReveal(reveal) {
  if (!reveal || (state.reveal && reveal.rev < state.reveal.rev)) return;
  state.reveal = reveal;
  $('reveal-banner').hidden = !reveal.active;
  drawRows();  // the banner takes room: rows are measured again
  redrawRows();
  race.refresh();
  document.body.dataset.revealStep = String(reveal.active ? reveal.step : '');
}

async function loadReveal() {
  const response = await fetch(`/api/contests/${encodeURIComponent(state.contest)}/reveal`);
  if (response.ok) followReveal(await response.json());
}

function boardRows() {
  // The big screen shows as many rows as stay readable from the back of the hall.
  if (!screenMode) return state.limit;
  return Math.max(5, Math.min(20, Math.floor(window.innerHeight / 100)));
}

function subscribe() {
  const me = meId();
  live.subscribe({ contest: state.contest, board: state.board, limit: boardRows(), events: phoneMode ? 3 : 20, ...(me && state.board === 'participants' ? { me } : {}) });
  if (screenMode) race.subscribe(state.contest);
  loadReveal();
}

function layout() {
  if (screenMode) {
    const panel = $('board-panel');
    const free = panel.clientHeight - $('heading').offsetHeight - $('board-title').offsetHeight;
    // Few rows grow to fill the panel; many share it.
    board.setRowHeight(Math.floor(free / Math.max(6, Math.min(boardRows(), state.rows.length || boardRows()))));
    $('board-grid').style.setProperty('--row-h', `${board.rowHeight}px`);
    const racePanel = $('race-panel');
    const raceFree = racePanel.clientHeight - parseFloat(getComputedStyle(racePanel).paddingBottom) - $('race-title').offsetHeight;
    race.view.setRowHeight(Math.floor(raceFree / Math.max(5, Math.min(12, race.rows.length || 6))));
  } else {
    board.setRowHeight(phoneMode ? 60 : 48);
  }
}

function drawRows() {
  newRowContext();
  layout();
  board.render(state.rows);
  requestFit();
  $('empty').hidden = state.rows.length > 0;
  $('more').hidden = !phoneMode || state.rows.length < state.limit || state.limit >= 200;
  const ids = state.board === 'participants' ? state.rows.map((r) => r.id) : [];
  const wantTotal = state.mergedPrs === null && state.meta.rules.pull_requests && momentsOn;
  if (ids.length && (columnsFor(state.meta, state.board).length || wantTotal)) cells.want(state.contest, ids);
}

function drawHeading() {
  const columns = columnsFor(state.meta, state.board);
  renderHeading($('heading'), columns, { lang: state.lang }, state.board === 'participants' ? pointsLabel(state.meta, state.lang) : t('total'));
  document.body.classList.toggle('many-cells', columns.length >= 3);
  requestFit();
  $('board-title').hidden = !screenMode;
  $('board-title').textContent = t(state.board);
  if (screenMode && race.board) $('race-title').textContent = t(race.board);
}

function drawChrome() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.body.classList.toggle('screen', screenMode);
  document.body.classList.toggle('phone', phoneMode);
  $('lang').textContent = t('other');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  if (state.meta) {
    const title = state.meta.title[state.lang] || state.meta.title.en;
    $('title').textContent = title;
    document.title = title;
    const brand = state.meta.branding || {};
    $('logo').hidden = !brand.logo;
    if (brand.logo && $('logo').getAttribute('src') !== brand.logo) $('logo').src = brand.logo;
    document.documentElement.style.setProperty('--brand', brand.color || '#38bdf8');
    // A kind of team nobody is in gets no tab.
    const shown = state.meta.boards.filter((name) => !name.startsWith('teams:') || state.meta.teams.some((team) => `teams:${team.kind}` === name));
    $('tabs').replaceChildren(...shown.map((name) => {
      const tab = element('button', boardLabel(state.meta, name, state.lang), { type: 'button', role: 'tab', 'aria-selected': String(name === state.board), 'data-board': name });
      tab.addEventListener('click', () => { state.board = name; board.clear(); drawChrome(); drawHeading(); subscribe(); });
      return tab;
    }));
  }
  state.frozen = state.status === 'frozen';
  const banner = !(screenMode && state.frozen);
  if ($('freeze-banner').hidden !== banner) { $('freeze-banner').hidden = banner; if (state.meta) drawRows(); }
  $('status').textContent = t(state.status);
  $('status').className = `status ${state.status}`;
  drawFollow();
  drawClocks();
}

// On the big screen, a QR code of this contest's link for phones (drawn by the server).
function drawFollow() {
  $('follow').hidden = !screenMode || !state.contest;
  if ($('follow').hidden) return;
  const src = `/api/contests/${encodeURIComponent(state.contest)}/qr.svg?origin=${encodeURIComponent(location.origin)}`;
  if ($('qr').getAttribute('src') !== src) $('qr').src = src;
  $('qr').alt = t('followOnPhone');
}

function drawClocks() {
  const now = Date.now();
  const pad = (x) => String(x).padStart(2, '0');
  const d = new Date(now);
  $('clock').textContent = screenMode ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : '';
  const times = state.times;
  if (!times) return;
  const freeze = times.freeze_at ? Date.parse(times.freeze_at) : null;
  const end = Date.parse(times.ends_at);
  $('countdown-freeze').textContent = freeze && freeze > now ? `${t('freezeIn')} ${duration(state.lang, (freeze - now) / 1000)}`
    : freeze && end > now ? t('frozenSince') : '';
  $('countdown-end').textContent = end > now ? `${t('endsIn')} ${duration(state.lang, (end - now) / 1000)}` : t('ended');
}

function drawMe() {
  const box = $('me');
  box.hidden = !meId() || state.board !== 'participants';
  if (box.hidden) return;
  const row = state.me;
  const hidden = row && revealMark(row, state.reveal, state.board) === 'hidden';
  box.querySelector('.you').textContent = t('you');
  box.querySelector('.rank').textContent = row && !hidden ? t('rank', row.rank) : hidden ? '' : t('notRanked');
  box.querySelector('.name').textContent = row ? rowName(row, state.lang) : '';
  box.querySelector('.points').textContent = row && !hidden ? row.points : '';
  $('unpin').hidden = !localStorage.getItem(pinKey());
}

async function openDetail(row) {
  if (screenMode || !row || revealMark(row, state.reveal, state.board) === 'hidden') return;
  const query = `board=${encodeURIComponent(state.board)}&member=${encodeURIComponent(row.id)}`;
  const response = await fetch(`/api/contests/${encodeURIComponent(state.contest)}/history?${query}`);
  if (!response.ok) return;
  const history = await response.json();
  $('detail-title').textContent = `${rowName(row, state.lang)} · ${t('history')}`;
  renderChart($('chart'), history.points);
  if (state.board.startsWith('teams')) {
    $('detail-awards').replaceChildren(...history.points.slice(-10).reverse().map((p) =>
      element('li', `${p.at.replace('T', ' ').replace('Z', ' UTC')}  +${p.points}  ${p.subject}`)));
  } else {
    // A participant: every award behind the total, with its reason.
    const person = await fetch(`/api/contests/${encodeURIComponent(state.contest)}/participants/${encodeURIComponent(row.id)}`);
    if (person.ok) renderAwards($('detail-awards'), (await person.json()).awards, state.lang);
  }
  $('detail').hidden = false;
}

function pin(id) {
  localStorage.setItem(pinKey(), id);
  const url = new URL(location.href);
  url.searchParams.set('me', id);
  history.replaceState(null, '', url);
  params.set('me', id);
  state.me = null;
  subscribe();
  drawMe();
  redrawRows();
}

function share() {
  shareLink(`${location.origin}/?contest=${encodeURIComponent(state.contest)}&me=${encodeURIComponent(meId())}`, $('share-link'), t('copied'));
}

function setupPresenter() {
  const p = new Presenter(state.contest, {
    onState: (reveal) => followReveal(reveal),
    onError: (message) => { $('status').textContent = message; $('status').className = 'status error'; },
    askToken: () => prompt(t('presenterToken')) || '',
  });
  presenterKeys(p, $('presenter'), {
    start: () => ({ board: state.board, rows: Math.max(1, Math.min(10, state.rows.length)) }),
    autoplaying: () => Boolean(state.reveal && state.reveal.auto),
  });
}

async function loadContest() {
  state.meta = await (await fetch(`/api/contests/${encodeURIComponent(state.contest)}?participants=0`)).json();
  state.teams = new Map(state.meta.teams.map((team) => [team.id, team]));
  const kinds = ['teams:city', 'teams:school', 'teams:company'].filter((b) => state.meta.teams.some((team) => `teams:${team.kind}` === b));
  race.setBoards(state.meta.screen.race.length ? state.meta.screen.race : kinds.slice(0, 1));
  $('race-panel').hidden = !screenMode || race.boards.length === 0;
  document.body.classList.toggle('no-race', race.boards.length === 0);
  state.mergedPrs = null;
  cells.mergedPrs = null;
  if (!state.meta.boards.includes(state.board)) state.board = 'participants';
}

async function start() {
  state.contests = (await (await fetch('/api/contests')).json()).contests;
  state.contest = params.get('contest') || (state.contests[0] || {}).id;
  await loadContest();
  const select = $('contest');
  select.replaceChildren(...state.contests.map((c) => element('option', c.title[state.lang] || c.title.en, { value: c.id })));
  select.value = state.contest;
  select.addEventListener('change', async () => {
    state.contest = select.value;
    state.board = 'participants';
    board.clear();
    race.clear();
    await loadContest();
    drawChrome(); drawHeading(); subscribe();
    if (!screenMode) loadVisitor();
  });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    drawChrome(); drawHeading();
    redrawRows(); race.refresh();
    renderTicker($('ticker'), state.events, state.lang, names);
    drawMe();
    session.draw();
    homework.draw();
    votes.draw();
  });
  $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
  $('more').addEventListener('click', () => { state.limit = Math.min(200, state.limit + 20); subscribe(); });
  $('my-awards').addEventListener('click', () => openDetail(state.me || { id: meId(), name: meId(), rank: Infinity }));
  $('share').addEventListener('click', share);
  $('unpin').addEventListener('click', () => {
    localStorage.removeItem(pinKey());
    const url = new URL(location.href);
    url.searchParams.delete('me');
    history.replaceState(null, '', url);
    params.delete('me');
    subscribe(); drawMe(); redrawRows();
  });
  if (phoneMode) new Finder($('finder'), { contest: () => state.contest, lang: () => state.lang, teamName, onPick: pin });
  cells.onChange = () => {
    if (state.mergedPrs === null && cells.mergedPrs !== null) state.mergedPrs = cells.mergedPrs;
    redrawRows();
  };
  drawChrome();
  drawHeading();
  subscribe();
  drawMe();
  if (screenMode) setupPresenter();
  else loadVisitor();
  window.addEventListener('resize', () => { drawRows(); race.render(); });
  setInterval(drawClocks, 1000);
  const rotate = state.meta.screen.rotate_seconds;
  if (screenMode && rotate > 0 && race.boards.length > 1) setInterval(() => { race.rotate(state.contest); drawHeading(); }, rotate * 1000);
}

start();
