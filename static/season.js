// A season's boards (/seasons/<id>): people and chapters over every contest of the season, each
// contest's points weighted. The page follows each contest's live stream (one row, one event) and
// re-reads the season when an award arrives; every 30 s as well, should a stream be down. Names are text.
'use strict';

const TEXT = {
  zh: {
    season: '赛季', rank: '名次', name: '名称', points: '积分', people: '个人', 'chapters:city': '城市',
    'chapters:school': '学校', 'chapters:company': '公司', members: (n) => `${n} 名成员`, contests: '包含的比赛',
    weight: (w) => `× ${w}`, byContest: '各比赛积分', memberCount: '成员', empty: '还没有积分。', updated: (at) => `更新于 ${at}`,
    notFound: '没有这个赛季。', switchTo: 'English',
  },
  en: {
    season: 'Season', rank: 'Rank', name: 'Name', points: 'Points', people: 'People', 'chapters:city': 'Cities',
    'chapters:school': 'Schools', 'chapters:company': 'Companies', members: (n) => (n === 1 ? '1 member' : `${n} members`),
    contests: 'Contests', weight: (w) => `× ${w}`, byContest: 'Points by contest', memberCount: 'Members', empty: 'No points yet.',
    updated: (at) => `Updated ${at}`, notFound: 'There is no such season.', switchTo: '中文',
  },
};
const BOARDS = ['people', 'chapters:city', 'chapters:school', 'chapters:company'];
const query = new URLSearchParams(location.search);
const seasonId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
let lang = (query.get('lang') ?? navigator.language ?? 'zh').toLowerCase().startsWith('en') ? 'en' : 'zh';
let board = BOARDS.includes(query.get('board')) ? query.get('board') : 'people';
let season = null;
let last = null;
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => { const v = TEXT[lang][key]; return typeof v === 'function' ? v(...args) : (v ?? key); };
const titleOf = (text) => (lang === 'zh' ? text.zh || text.en : text.en || text.zh);

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (text instanceof Node) td.append(text);
  else td.textContent = text;
  return td;
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  $('lang').textContent = t('switchTo');
  $('title').textContent = season ? `${t('season')} · ${titleOf(season.title)}` : t('season');
  document.title = $('title').textContent;
  $('contests').textContent = season ? `${t('contests')}${lang === 'zh' ? '：' : ': '}${season.contests.map((c) => `${titleOf(c.title)} ${t('weight', c.weight)}`).join(' · ')}` : '';
  $('boards').replaceChildren(...BOARDS.map((name) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.board = name;
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-selected', name === board ? 'true' : 'false');
    button.textContent = t(name);
    button.addEventListener('click', () => { board = name; load(); });
    return button;
  }));
  $('extra-heading').textContent = board === 'people' ? t('byContest') : t('memberCount');
  const body = $('season-rows').tBodies[0];
  const rows = last?.rows ?? [];
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.id = row.id;
    let name = row.name;
    if (board === 'people') {
      name = document.createElement('a');
      name.href = `/people/${encodeURIComponent(row.id)}?lang=${lang}`;
      name.textContent = row.name || row.id;
    }
    const titles = Object.fromEntries((season?.contests ?? []).map((c) => [c.id, titleOf(c.title)]));
    const detail = board === 'people' ? Object.entries(row.contests).map(([id, p]) => `${titles[id] ?? id} ${p}`).join(' · ') : t('members', row.members);
    tr.append(cell(String(row.rank), 'num'), cell(name), cell(detail, 'detail'), cell(String(row.points), 'num points'));
    return tr;
  }));
  $('empty').hidden = rows.length > 0 || !last;
  $('empty').textContent = t('empty');
  $('updated').textContent = last ? t('updated', new Date(last.generated_at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB')) : '';
}

async function load() {
  const response = await fetch(`/api/seasons/${encodeURIComponent(seasonId)}/standings?board=${encodeURIComponent(board)}&limit=200`,
    { cache: 'no-store' });
  if (!response.ok) {
    $('season-error').textContent = t('notFound');
    return;
  }
  $('season-error').textContent = '';
  last = await response.json();
  render();
}

let pending = null;
function soon() {  // several awards in a burst make one read
  if (!pending) pending = setTimeout(() => { pending = null; load(); }, 300);
}

function follow(contest, attempt = 0) {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  socket.onopen = () => { attempt = 0; socket.send(JSON.stringify({ type: 'subscribe', contest, board: 'participants', limit: 1, events: 1 })); };
  socket.onmessage = (message) => { if (JSON.parse(message.data).type === 'update') soon(); };
  socket.onclose = () => setTimeout(() => follow(contest, attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
}

async function start() {
  const list = await (await fetch('/api/seasons')).json();
  season = list.seasons.find((s) => s.id === seasonId) ?? null;
  render();
  if (!season) { $('season-error').textContent = t('notFound'); return; }
  await load();
  for (const c of season.contests) follow(c.id);
  setInterval(load, 30000);
}

$('lang').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; render(); });
start();
