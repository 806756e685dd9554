// What every console view uses: the signed-in token (sessionStorage only), calls to the
// same API routes curl uses, elements built from text (never from HTML), messages, confirmations.
import { consoleTexts } from './admin-i18n.js';

const TOKEN_KEY = 'lb-console-token';
export const state = { lang: 'en', role: null, actor: null, contest: null, contests: [] };

export function t(key, ...args) {
  const entry = consoleTexts[state.lang][key] ?? consoleTexts.en[key];
  if (typeof entry === 'function') return entry(...args);
  return entry ?? key;
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

// Answers {status, body, headers}; body is the parsed JSON (or text for CSV).
export async function api(method, path, { body, type = 'application/json', raw } = {}) {
  const headers = { Authorization: `Bearer ${token.get() ?? ''}` };
  let payload;
  if (raw !== undefined) { payload = raw; headers['Content-Type'] = type; }
  else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  const text = await response.text();
  let parsed = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
    try { parsed = JSON.parse(text); } catch { parsed = { error: 'bad_answer', message: text.slice(0, 200) }; }
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const contestPath = (rest = '') => `/api/contests/${encodeURIComponent(state.contest)}${rest}`;

// el('td', {class: 'x'}, 'text', child): attributes, then text or nodes as children.
// Replaces a node's children, leaving out the absent ones (null, undefined, false) as el() does:
// the DOM's own replaceChildren would draw them as the text "null".
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== undefined && child !== null && child !== false));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function table(headings, rows) {
  return el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows));
}

let toastTimer;
export function toast(message, kind = 'ok') {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.className = `toast ${kind}`;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === 'error' ? 8000 : 3500);
}

// The API's own words for a refusal: its message, or every problem it listed.
export function explainRefusal(answer) {
  const body = answer.body ?? {};
  const known = consoleTexts[state.lang][`error.${body.error}`];
  if (known) return `${known} (${body.message ?? answer.status})`;
  if (Array.isArray(body.problems)) return `${body.message ?? ''} ${body.problems.join('; ')}`.trim();
  return body.message ?? `${answer.status}`;
}

export async function act(method, path, options, done) {
  const answer = await api(method, path, options);
  if (answer.status >= 400) toast(explainRefusal(answer), 'error');
  else if (done) done(answer);
  return answer;
}

// A modal confirmation, optionally asking for a reason; resolves to the reason or null.
export function confirmAction(text, { reason = false, required = false } = {}) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  const label = document.getElementById('confirm-reason-label');
  const input = document.getElementById('confirm-reason');
  label.hidden = !reason;
  input.value = '';
  input.required = required;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value : null), { once: true });
    dialog.showModal();
    (reason ? input : document.getElementById('confirm-ok')).focus();
  });
}

export const when = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB') : '—');
export const isAdmin = () => state.role === 'admin';

// The code hosts of the engine's table (GET /api/hosts), asked once.
let hostList = null;
export async function codeHosts() {
  if (!hostList) {
    const answer = await api('GET', '/api/hosts');
    hostList = answer.status === 200 ? answer.body.hosts : [];
  }
  return hostList;
}
// "GitHub octo · GitCode octo_gc": every login a record names, in the table's order.
// A login the person proved by signing in with its host is marked ✓ (a sign-up's `proven`).
export const loginsText = (record, hosts) => hosts.filter((h) => record[h.id])
  .map((h) => `${h.name} ${record[h.id]}${(record.proven ?? []).includes(h.id) ? ' ✓' : ''}`).join(' · ');
