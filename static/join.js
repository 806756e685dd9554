// The community's sign-up form (/join.html) and a member's public profile (/people/<id>).
// Everything a person typed is set as text, never as HTML.
'use strict';

const TEXT = {
  zh: {
    joinTitle: '加入社区', profileTitle: '社区成员', intro: '填写后由组织者审核；通过后你会得到一个社区编号。',
    name: '姓名', login: (host) => `${host} 账号`, loginsHelp: '至少填写一个账号，合并的 PR 按账号计分。',
    city: '城市', school: '学校', company: '公司', submit: '提交报名', doneTitle: '已提交',
    doneText: '你的报名正在等待组织者审核。', requestId: '报名编号', memberNo: '社区编号', chapters: '所属分会',
    city_kind: '城市', school_kind: '学校', company_kind: '公司', since: '自', none: '暂无',
    certificate: (level) => `${level} 等级证书`, contests: '参加的比赛', points: (n) => `${n} 分`, prs: (n) => `${n} 个合并的 PR`, level: '等级',
    next: (level, prs, points) => `下一级 ${level}：${[prs !== null ? `${prs} 个合并的 PR` : '', points !== null ? `${points} 分` : ''].filter(Boolean).join(' 或 ')}`,
    disqualified: '已取消资格', frozen: '封榜中，之后的得分揭晓后显示',
    notFound: '没有这个社区编号的成员。', failed: '提交失败，请稍后再试。', switchTo: 'English',
    errors: {
      name: '请填写姓名（最多 64 个字）。', city: '城市最多 64 个字。', school: '学校最多 64 个字。', company: '公司最多 64 个字。',
    },
    loginError: (host) => `${host} 账号格式不对，或已被使用。`,
    signInWith: (host) => `用 ${host} 登录`, signInHelp: '登录可证明账号是你的：他人无法冒用，也可能无需等待审核。',
    signedInAs: '已登录：', signOut: '退出登录', approvedTitle: '欢迎加入',
    approvedText: '你的账号已通过登录证明，报名已自动通过。',
    duplicate: (host) => `这个 ${host} 账号已经报名或已是成员。`,
    earlierTitle: '你之前的报名', earlierForget: '不再显示',
    state_pending: '等待审核', state_approved: '已通过', state_rejected: '未通过', state_set_aside: '已搁置',
    earlierApproved: (id) => `你的社区编号：${id}`, earlierReason: (why) => `原因：${why}`,
    earlierSetAside: '这个账号的主人已登录证明了它，所以这份报名被搁置。',
  },
  en: {
    joinTitle: 'Join the community', profileTitle: 'Community member',
    intro: 'An organizer reviews each sign-up; once approved you get a community number.',
    name: 'Name', login: (host) => `${host} login`, loginsHelp: 'Give at least one login: merged PRs count by login.',
    city: 'City', school: 'School', company: 'Company', submit: 'Sign up', doneTitle: 'Sent',
    doneText: 'Your sign-up is waiting for an organizer’s approval.', requestId: 'Request', memberNo: 'Community number',
    chapters: 'Chapters', city_kind: 'City', school_kind: 'School', company_kind: 'Company', since: 'since', none: 'None yet',
    contests: 'Contests', points: (n) => (n === 1 ? '1 point' : `${n} points`), prs: (n) => (n === 1 ? '1 merged PR' : `${n} merged PRs`),
    level: 'Level', certificate: (level) => `Certificate: ${level}`,
    next: (level, prs, points) => `Next, ${level}: ${[prs !== null ? `${prs} merged PRs` : '', points !== null ? `${points} points` : ''].filter(Boolean).join(' or ')}`,
    disqualified: 'disqualified', frozen: 'frozen: later points show after the reveal',
    notFound: 'No member has this community number.', failed: 'Could not send it; please try again.', switchTo: '中文',
    errors: {
      name: 'Give your name (at most 64 characters).', city: 'At most 64 characters.', school: 'At most 64 characters.',
      company: 'At most 64 characters.',
    },
    loginError: (host) => `Not a ${host} login, or it is taken.`,
    signInWith: (host) => `Sign in with ${host}`, signInHelp: 'Signing in proves a login is yours: nobody else can claim it, and you may not need to wait for approval.',
    signedInAs: 'Signed in as', signOut: 'Sign out', approvedTitle: 'Welcome',
    approvedText: 'Your logins are proven by signing in: your sign-up is approved.',
    duplicate: (host) => `This ${host} login has signed up already or belongs to a member.`,
    earlierTitle: 'Your earlier sign-up', earlierForget: 'Do not show again',
    state_pending: 'waiting for approval', state_approved: 'approved', state_rejected: 'not approved', state_set_aside: 'set aside',
    earlierApproved: (id) => `Your community number: ${id}`, earlierReason: (why) => `Reason: ${why}`,
    earlierSetAside: 'The owner of this login proved it by signing in, so this sign-up was set aside.',
  },
};

const params = new URLSearchParams(location.search);
let lang = params.get('lang') === 'en' ? 'en' : 'zh';
const personId = decodeURIComponent((location.pathname.match(/^\/people\/([^/]+)$/) || [])[1] || '');
let lastProfile = null;
// The code hosts this community counts merges from (GET /api/hosts): a login field for each.
let hosts = [];
// Who is signed in (GET /api/session): their proven logins fill the form and cannot be changed.
let session = { signed_in: false, accounts: [], sign_in_hosts: [] };

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key];

function render() {
  document.documentElement.lang = lang;
  document.title = t(personId ? 'profileTitle' : 'joinTitle');
  $('title').textContent = document.title;
  $('lang').textContent = t('switchTo');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-host]')) node.textContent = t('login')(hostName(node.dataset.host));
  for (const node of document.querySelectorAll('[data-sign-in]')) node.textContent = t('signInWith')(hostName(node.dataset.signIn));
  if (lastProfile) showProfile(lastProfile);
  if (earlier) showEarlier();
}

const hostName = (id) => (hosts.find((h) => h.id === id) || { name: id }).name;

// One field per host the community receives merges from (every host when none is set up).
function buildLoginFields() {
  const shown = hosts.some((h) => h.configured) ? hosts.filter((h) => h.configured) : hosts;
  const box = $('logins');
  box.replaceChildren();
  for (const host of shown) {
    const label = document.createElement('label');
    const span = document.createElement('span');
    span.dataset.host = host.id;
    const input = Object.assign(document.createElement('input'), { name: host.id, maxLength: host.login_max, autocomplete: 'off', spellcheck: false });
    label.append(span, input);
    box.append(label);
  }
  render();
}

function fieldError(field, message) {
  for (const input of $('join').querySelectorAll('input')) input.removeAttribute('aria-invalid');
  const input = $('join').querySelector(`input[name="${field}"]`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  $('join-error').textContent = message;
}

async function submit(event) {
  event.preventDefault();
  const body = {};
  for (const input of $('join').querySelectorAll('input')) if (input.value.trim()) body[input.name] = input.value.trim();
  let answer;
  try {
    const response = await fetch('/api/community/sign-ups', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    answer = { status: response.status, body: await response.json() };
  } catch {
    return fieldError('', t('failed'));
  }
  if (answer.status === 201) {
    remember(answer.body.request);
    $('join').hidden = true;
    $('done').hidden = false;
    const approved = answer.body.state === 'approved';
    $('done').querySelector('h2').dataset.i18n = approved ? 'approvedTitle' : 'doneTitle';
    $('done').querySelector('p').dataset.i18n = approved ? 'approvedText' : 'doneText';
    $('done').querySelector('.muted span').dataset.i18n = approved ? 'memberNo' : 'requestId';
    $('request-id').textContent = approved ? answer.body.community_id : answer.body.request;
    render();
    return;
  }
  const field = answer.body.field || '';
  const isHost = hosts.some((h) => h.id === field);
  if (answer.body.error === 'duplicate_login') return fieldError(field, isHost ? t('duplicate')(hostName(field)) : answer.body.message);
  fieldError(field, isHost ? t('loginError')(hostName(field)) : (t('errors')[field]) || answer.body.message || t('failed'));
}

function showProfile(person) {
  $('person-id').textContent = person.id;
  $('person-name').textContent = person.name;
  const logins = $('person-logins');
  logins.replaceChildren();
  for (const host of hosts) {
    if (!person[host.id]) continue;
    const dt = document.createElement('dt');
    dt.textContent = t('login')(host.name);
    const dd = document.createElement('dd');
    dd.textContent = person[host.id];
    logins.append(dt, dd);
  }
  const chapters = $('person-chapters');
  chapters.replaceChildren();
  for (const m of person.memberships) {
    const li = document.createElement('li');
    // A chapter the person moved away from shows its dates and is drawn apart from the current ones.
    const dates = m.until ? `${m.since.slice(0, 10)} – ${m.until.slice(0, 10)}` : `${t('since')} ${m.since.slice(0, 10)}`;
    li.textContent = `${t(`${m.kind}_kind`) || m.kind} · ${m.chapter} · ${dates}`;
    if (m.until) li.className = 'past';
    chapters.append(li);
  }
  if (!person.memberships.length) chapters.append(Object.assign(document.createElement('li'), { textContent: t('none') }));
  showActivity(person);
}

function textElement(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

const levelName = (level) => (lang === 'zh' && level.name_zh) || level.name;

// The level, and each contest with its points and awards, newest contest first.
function showActivity(person) {
  const level = person.level;
  $('person-level').textContent = level ? `${t('level')} ${level.id} · ${levelName(level)} · ${t('points')(person.points)} · ${t('prs')(person.merged_prs)}` : '';
  $('person-next').textContent = level && level.next ? t('next')(`${level.next.id} ${levelName(level.next)}`, level.next.merged_prs, level.next.points) : '';
  // A certificate for each level reached, printable from its own page.
  const certificates = $('person-certificates');
  certificates.replaceChildren(...(person.certificates || []).map((c) => {
    const link = textElement('a', t('certificate')(c.level));
    link.href = `${c.url}?lang=${lang}`;
    return link;
  }));
  const box = $('person-contests');
  box.replaceChildren();
  const contests = [...(person.contests || [])].sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  if (!contests.length) box.append(textElement('p', t('none'), 'muted'));
  for (const c of contests) {
    const section = textElement('section', '', 'contest');
    const head = textElement('h4', c.title[lang] || c.id);
    head.append(textElement('span', ` · ${t('points')(c.points)} · ${t('prs')(c.merged_prs)}${c.disqualified ? ` · ${t('disqualified')}` : ''}`, 'muted'));
    section.append(head);
    if (c.frozen) section.append(textElement('p', t('frozen'), 'muted'));
    const list = textElement('ul', '', 'awards');
    for (const a of [...c.awards].reverse()) list.append(textElement('li', `${a.at.slice(0, 10)} · ${a.subject} · +${a.points}`));
    section.append(list);
    box.append(section);
  }
}

async function loadProfile() {
  $('profile').hidden = false;
  const response = await fetch(`/api/people/${encodeURIComponent(personId)}`);
  if (!response.ok) {
    $('profile-error').textContent = t('notFound');
    return;
  }
  lastProfile = await response.json();
  showProfile(lastProfile);
}

$('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  showSession();  // the sign-in links come back to the page in this language
});
$('join').addEventListener('submit', submit);

function showSession() {
  const signedIn = session.signed_in;
  $('session').hidden = !signedIn && !session.sign_in_hosts.length;
  $('signed-in').hidden = !signedIn;
  $('signed-in-as').textContent = session.accounts.map((a) => `${hostName(a.host)}: ${a.login}`).join(', ');
  const links = $('sign-in-hosts');
  links.replaceChildren();
  const proven = new Set(session.accounts.map((a) => a.host));
  for (const host of session.sign_in_hosts) {
    if (proven.has(host)) continue;
    const back = `${personId ? location.pathname : '/join.html'}?lang=${lang}`;  // back to this page
    const a = Object.assign(document.createElement('a'), { href: `/auth/${encodeURIComponent(host)}/start?return=${encodeURIComponent(back)}` });
    a.dataset.signIn = host;
    links.append(a);
  }
  $('sign-in-help').hidden = signedIn && !links.children.length;
  for (const account of session.accounts) {
    const input = $('join').querySelector(`input[name="${account.host}"]`);
    if (input) Object.assign(input, { value: account.login, readOnly: true });
  }
  render();
}

async function loadSession() {
  try {
    const response = await fetch('/api/session');
    if (response.ok) session = { accounts: [], sign_in_hosts: [], ...(await response.json()) };
  } catch {
    // Without the session the form works as before: unproven logins, an organizer's review.
  }
  showSession();
}

$('sign-out').addEventListener('click', async () => {
  await fetch('/auth/sign-out', { method: 'POST' });
  for (const input of $('join').querySelectorAll('input[readonly]')) Object.assign(input, { value: '', readOnly: false });
  session = { ...session, signed_in: false, accounts: [] };
  showSession();
});
async function loadHosts() {
  try {
    const response = await fetch('/api/hosts');
    if (response.ok) hosts = (await response.json()).hosts;
  } catch {
    hosts = [];
  }
  if (!hosts.length) $('join-error').textContent = t('failed');
}

// The last sign-up sent from this browser: its id is kept here, and what became of it is asked
// of the server (GET /api/community/sign-ups/<id>) whenever the join page opens.
const REMEMBERED = 'lb-sign-up';
let earlier = null;

function remember(request) {
  try { localStorage.setItem(REMEMBERED, request); } catch { /* private mode: nothing kept */ }
}

async function loadEarlier() {
  let request = null;
  try { request = localStorage.getItem(REMEMBERED); } catch { return; }
  if (!request) return;
  const response = await fetch(`/api/community/sign-ups/${encodeURIComponent(request)}`).catch(() => null);
  if (!response) return;
  if (response.status === 404) return localStorage.removeItem(REMEMBERED);  // a store reset: nothing to say
  if (response.ok) earlier = await response.json();
  showEarlier();
}

function showEarlier() {
  $('earlier').hidden = !earlier;
  if (!earlier) return;
  $('earlier-id').textContent = earlier.request;
  $('earlier-state').textContent = t(`state_${earlier.state}`) || earlier.state;
  $('earlier-detail').textContent = earlier.state === 'approved' && earlier.community_id ? t('earlierApproved')(earlier.community_id)
    : earlier.state === 'set_aside' ? t('earlierSetAside')
      : earlier.reason ? t('earlierReason')(earlier.reason) : '';
}

$('earlier-forget').addEventListener('click', () => {
  localStorage.removeItem(REMEMBERED);
  earlier = null;
  showEarlier();
});

render();
loadHosts().then(() => {
  if (personId) return Promise.all([loadProfile(), loadSession()]);
  buildLoginFields();
  $('join').hidden = false;
  return Promise.all([loadSession(), loadEarlier()]);
});
