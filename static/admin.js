// The organizer console: sign-in, tabs by role, the contest's overview (live), and the views
// of the other files. Every action is a call to the API routes docs/api.md lists.
import { api, el, fill, isAdmin, state, t, table, token, when } from './admin-kit.js';
import { judgingView } from './admin-judging.js';
import { dataView } from './admin-data.js';
import { auditView, explainView, pointsView, recomputeView } from './admin-control.js';
import { signUpsView } from './admin-community.js';
import { operationsView } from './admin-ops.js';

const views = {
  overview: { render: overviewView, judges: true },
  judging: { render: judgingView, judges: true },
  data: { render: dataView, judges: false },
  points: { render: pointsView, judges: false },
  recompute: { render: recomputeView, judges: false },
  audit: { render: auditView, judges: false },
  explain: { render: explainView, judges: true },
  signups: { render: signUpsView, judges: false },
  ops: { render: operationsView, judges: false },
};
// /ops opens the console on its operations tab.
let current = location.pathname === '/ops' ? 'ops' : 'overview';
let poll;

const query = new URLSearchParams(location.search);
state.lang = (query.get('lang') ?? navigator.language ?? 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';

function translateStatic() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('console');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.getElementById('lang').textContent = t('otherLanguage');
}

async function signIn(value) {
  token.set(value);
  const who = await api('GET', '/api/whoami');
  if (who.status !== 200) {
    token.forget();
    return who.status === 401 ? t('badToken') : (who.body.message ?? String(who.status));
  }
  Object.assign(state, { role: who.body.role, actor: who.body.actor, contests: who.body.contests });
  state.contest = query.get('contest') && state.contests.includes(query.get('contest')) ? query.get('contest') : state.contests[0];
  return null;
}

function showShell() {
  const signedIn = Boolean(state.role);
  document.getElementById('signin').hidden = signedIn;
  for (const id of ['tabs', 'views', 'who', 'signout', 'contest']) document.getElementById(id).hidden = !signedIn;
  if (!signedIn) return;
  document.getElementById('who').textContent = state.role === 'admin' && state.actor === 'admin' ? t('admin') : `${state.actor} · ${t(state.role)}`;
  const select = document.getElementById('contest');
  select.replaceChildren(...state.contests.map((id) => el('option', { value: id, selected: id === state.contest }, id)));
  const tabs = document.getElementById('tabs');
  tabs.replaceChildren(...Object.entries(views).filter(([, v]) => isAdmin() || v.judges).map(([name]) =>
    el('button', { type: 'button', role: 'tab', 'data-tab': name, 'aria-selected': name === current ? 'true' : 'false',
      onclick: () => show(name) }, t(`tab.${name}`))));
  show(current);
}

function show(name) {
  current = name;
  clearInterval(poll);
  for (const button of document.querySelectorAll('#tabs button')) button.setAttribute('aria-selected', button.dataset.tab === name ? 'true' : 'false');
  for (const section of document.querySelectorAll('#views section')) section.hidden = section.dataset.view !== name;
  const section = document.getElementById(`view-${name}`);
  const refresh = () => views[name].render(section);
  refresh();
  if (name === 'overview') poll = setInterval(refresh, 2000);
}

async function overviewView(section) {
  const answer = await api('GET', `/api/contests/${encodeURIComponent(state.contest)}/overview`);
  if (answer.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  const o = answer.body;
  const card = (label, value, id) => el('div', { class: 'card', 'data-card': id }, el('span', { class: 'label' }, label), el('strong', {}, value));
  const line = (attrs, name, h) => el('tr', attrs, el('td', {}, name), el('td', {}, when(h.last_delivery_at)),
    el('td', {}, h.last_outcome ?? '—'), el('td', {}, Object.entries(h.last_hour).map(([k, v]) => `${k} ${v}`).join(' · ') || '—'));
  const hosts = Object.entries(o.webhooks.hosts).flatMap(([host, h]) => [line({ 'data-host': host }, host, h),
    ...Object.entries(h.repos ?? {}).map(([repo, r]) => line({ 'data-repo': `${host}:${repo}`, class: 'repo' }, `↳ ${repo}`, r))]);
  fill(section,
    el('h2', {}, t('tab.overview')),
    el('div', { class: 'cards' },
      card(t('state'), t(`clock.${o.clock.state}`), 'state'), card(t('starts'), when(o.clock.starts_at), 'starts'),
      card(t('freezes'), when(o.clock.freeze_at), 'freezes'), card(t('ends'), when(o.clock.ends_at), 'ends')),
    el('div', { class: 'cards' },
      card(t('participants'), o.counts.participants, 'participants'), card(t('awards'), o.counts.awards, 'awards'),
      card(t('pendingSubmissions'), o.counts.pending_submissions, 'pending'),
      card(t('unattributed'), o.counts.unattributed_logins, 'unattributed')),
    o.final ? el('p', { class: 'final' }, t('finalSince', o.final.at, o.final.actor)) : null,
    el('h3', {}, t('webhookHealth')),
    table([t('host'), t('lastDelivery'), t('lastOutcome'), t('lastHour')], hosts),
    el('p', { class: 'muted' }, t('spoolAndRedis', o.webhooks.spool_pending ?? '—', o.webhooks.redis)));
}

document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const problem = await signIn(document.getElementById('token').value.trim());
  document.getElementById('signin-error').textContent = problem ?? '';
  document.getElementById('token').value = '';
  showShell();
});
document.getElementById('signout').addEventListener('click', () => {
  token.forget();
  Object.assign(state, { role: null, actor: null });
  clearInterval(poll);
  showShell();
});
document.getElementById('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  translateStatic();
  showShell();
});
document.getElementById('contest').addEventListener('change', (event) => {
  state.contest = event.target.value;
  show(current);
});

translateStatic();
if (token.get()) signIn(token.get()).then(showShell);
else showShell();
