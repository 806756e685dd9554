// The live leaderboard page: tabs, live rows, ticker, countdowns, chart,
// big-screen mode (?screen=1) and the viewer's own row (?me=<id>).
import { duration, pickLanguage, translate } from './i18n.js';
import { LiveBoard } from './live.js';
import { element, playReveal, renderAwards, renderChart, renderRows, renderTicker, rowName } from './render.js';

const params = new URLSearchParams(location.search);
const screenMode = params.get('screen') === '1';
const state = {
  lang: pickLanguage(location.search, navigator.language),
  contests: [], contest: null, board: params.get('board') || 'participants', status: 'connecting',
  rows: [], events: [], me: null, times: null,
};
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => translate(state.lang, key, ...args);

const live = new LiveBoard({
  onState: (status, frame) => { state.status = status; if (frame && frame.contest) state.times = frame.contest; drawChrome(); },
  onRows: (rows, frame) => {
    state.rows = rows;
    renderRows($('rows'), rows, state.lang, openDetail);
    $('empty').hidden = rows.length > 0;
    if (frame && frame.reveal) playReveal($('rows'));
  },
  onEvents: (events, { snapshot }) => {
    state.events = snapshot ? events : [...state.events, ...events].slice(-50);
    renderTicker($('ticker'), state.events, state.lang);
  },
  onMe: (row) => { state.me = row; drawMe(); },
  onError: (message) => { $('status').textContent = message; $('status').className = 'status error'; },
});

function subscribe() {
  const limit = screenMode ? 15 : 50;
  live.subscribe({ contest: state.contest, board: state.board, limit, ...(params.get('me') ? { me: params.get('me') } : {}) });
}

function drawChrome() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.body.classList.toggle('screen', screenMode);
  $('lang').textContent = t('other');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const contest = state.contests.find((c) => c.id === state.contest);
  if (contest) {
    const title = contest.title[state.lang] || contest.title.en;
    $('title').textContent = title;
    document.title = title;
    $('tabs').replaceChildren(...contest.boards.map((board) => {
      const tab = element('button', t(board), { type: 'button', role: 'tab', 'aria-selected': String(board === state.board), 'data-board': board });
      tab.addEventListener('click', () => { state.board = board; drawChrome(); subscribe(); });
      return tab;
    }));
  }
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
  const times = state.times;
  if (!times) return;
  const now = Date.now();
  const freeze = times.freeze_at ? Date.parse(times.freeze_at) : null;
  const end = Date.parse(times.ends_at);
  $('countdown-freeze').textContent = freeze && freeze > now ? `${t('freezeIn')} ${duration(state.lang, (freeze - now) / 1000)}`
    : freeze && end > now ? t('frozenSince') : '';
  $('countdown-end').textContent = end > now ? `${t('endsIn')} ${duration(state.lang, (end - now) / 1000)}` : t('ended');
}

function drawMe() {
  const box = $('me');
  box.hidden = !params.get('me');
  if (box.hidden) return;
  const row = state.me;
  box.replaceChildren(element('span', t('you'), { class: 'you' }),
    element('span', row ? t('rank', row.rank) : t('notRanked'), { class: 'rank' }),
    element('span', row ? rowName(row, state.lang) : '', { class: 'name' }),
    element('span', row ? row.points : '', { class: 'points' }));
}

async function openDetail(row) {
  if (screenMode) return;
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

function rotateBoards() {
  const contest = state.contests.find((c) => c.id === state.contest);
  const boards = contest.boards.filter((b) => !b.startsWith('component:'));
  state.board = boards[(boards.indexOf(state.board) + 1) % boards.length];
  drawChrome();
  subscribe();
}

async function start() {
  state.contests = (await (await fetch('/api/contests')).json()).contests;
  state.contest = params.get('contest') || (state.contests[0] || {}).id;
  const select = $('contest');
  select.replaceChildren(...state.contests.map((c) => element('option', c.title[state.lang] || c.title.en, { value: c.id })));
  select.value = state.contest;
  select.addEventListener('change', () => { state.contest = select.value; state.board = 'participants'; drawChrome(); subscribe(); });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    drawChrome();
    renderRows($('rows'), state.rows, state.lang, openDetail);
    renderTicker($('ticker'), state.events, state.lang);
    drawMe();
  });
  $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
  drawChrome();
  subscribe();
  setInterval(drawClocks, 1000);
  if (screenMode) setInterval(rotateBoards, Number(params.get('rotate') || 20) * 1000);
}

start();
