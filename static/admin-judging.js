// The judges' queue: pending submissions oldest first; claim one (no other judge can then),
// see the tolerance check and who would hold the first bonus, accept with the measured metric
// or reject with a reason. Keys: j/k move, c claim, a accept, r reject. Judged ones searchable.
import { act, api, contestPath, el, state, t, table, toast, when } from './admin-kit.js';
import { homeworkQueue } from './admin-homework.js';
import { voteBallots } from './admin-votes.js';

let pending = [];
let selected = 0;
let keysBound = false;

function metricOf(s) {
  const values = Object.entries(s.claimed ?? {});
  return values.length ? values.map(([k, v]) => `${k} ${v}`).join(', ') : '—';
}

export async function judgingView(section) {
  const answer = await api('GET', contestPath('/submissions?state=pending'));
  if (answer.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  pending = answer.body.submissions;
  selected = Math.min(selected, Math.max(0, pending.length - 1));
  const rows = pending.map((s, i) => el('tr', { 'data-sid': s.id, class: i === selected ? 'selected' : '', onclick: () => select(section, i) },
    el('td', {}, s.id), el('td', {}, s.participant), el('td', {}, s.model), el('td', {}, metricOf(s)),
    el('td', {}, s.submitted_at), el('td', { class: s.claimed_by ? 'claimed' : '' }, s.claimed_by ?? '—')));
  const search = el('input', { id: 'judged-search', type: 'search', placeholder: t('searchJudged') });
  const judged = el('div', { id: 'judged' });
  search.addEventListener('input', () => searchJudged(search.value, judged));
  section.replaceChildren(
    el('h2', {}, t('tab.judging')), el('p', { class: 'muted' }, t('judgingKeys')),
    pending.length ? table(['id', t('participant'), t('model'), t('claimed'), t('submittedAt'), t('claimedBy')], rows)
      : el('p', { class: 'muted', id: 'queue-empty' }, t('queueEmpty')),
    el('div', { id: 'judge-panel' }),
    el('section', { id: 'homework-queue' }),
    el('section', { id: 'vote-ballots' }),
    el('h3', {}, t('judgedTitle')), search, judged);
  homeworkQueue(section.querySelector('#homework-queue'));
  voteBallots(section.querySelector('#vote-ballots'));
  if (pending.length) renderPanel(section);
  searchJudged('', judged);
  if (!keysBound) {
    keysBound = true;
    document.addEventListener('keydown', (event) => onKey(event));
  }
}

function select(section, i) {
  selected = i;
  for (const [n, row] of section.querySelectorAll('tbody tr[data-sid]').entries()) row.classList.toggle('selected', n === i);
  renderPanel(section);
}

function renderPanel(section) {
  const s = pending[selected];
  const panel = section.querySelector('#judge-panel');
  if (!s) return panel.replaceChildren();
  const mine = s.claimed_by === state.actor;
  const firstValue = Object.values(s.claimed ?? {})[0];
  const measured = el('input', { id: 'measured', type: 'number', step: 'any', value: firstValue ?? '' });
  const reason = el('input', { id: 'verdict-reason', autocomplete: 'off', placeholder: t('reasonForReject') });
  const preview = el('div', { id: 'preview', class: 'preview' });
  const refreshPreview = () => previewVerdict(s, measured.value, preview);
  measured.addEventListener('input', refreshPreview);
  panel.replaceChildren(el('div', { class: 'panel' },
    el('h3', {}, `${s.id} · ${s.participant} · ${s.model}`),
    s.evidence_url ? el('p', {}, el('a', { href: s.evidence_url, target: '_blank', rel: 'noopener noreferrer' }, s.evidence_url)) : null,
    s.claimed_by && !mine ? el('p', { class: 'error' }, t('claimedByOther', s.claimed_by)) : null,
    el('div', { class: 'row' },
      el('button', { type: 'button', id: 'claim', disabled: mine, onclick: () => claim(section, s) }, mine ? t('claimedByYou') : t('claim')),
      el('label', {}, t('measured'), measured), el('label', {}, t('reason'), reason)),
    preview,
    el('div', { class: 'row' },
      el('button', { type: 'button', id: 'accept', class: 'primary', disabled: !mine, onclick: () => verdict(section, s, true, measured.value, reason.value) }, t('accept')),
      el('button', { type: 'button', id: 'reject', class: 'danger', disabled: !mine, onclick: () => verdict(section, s, false, measured.value, reason.value) }, t('reject')),
      mine ? el('button', { type: 'button', id: 'release', onclick: () => release(section, s) }, t('release')) : null)));
  if (mine) refreshPreview();
}

async function previewVerdict(s, value, box) {
  if (value === '' || !Number.isFinite(Number(value))) return box.replaceChildren(el('span', { class: 'muted' }, t('enterMeasured')));
  const answer = await api('POST', contestPath(`/submissions/${encodeURIComponent(s.id)}/verdict?dry_run=1`),
    { body: { accepted: true, measured: Number(value) } });
  if (answer.status !== 200) return box.replaceChildren(el('span', { class: 'error' }, answer.body.message ?? answer.status));
  const p = answer.body;
  const check = p.tolerance_check;
  box.replaceChildren(
    el('p', { class: p.qualifies ? 'pass' : 'fail', id: 'tolerance' },
      t(p.qualifies ? 'withinTolerance' : 'outsideTolerance', check.metric, check.measured, check.target, check.tolerance)),
    el('p', { id: 'first-bonus' }, t('firstBonus', p.first_bonus.before ?? '—', p.first_bonus.after ?? '—')));
}

async function claim(section, s) {
  await act('POST', contestPath(`/submissions/${encodeURIComponent(s.id)}/claim`), {}, () => toast(t('claimedToast', s.id)));
  judgingView(section);
}

async function release(section, s) {
  await act('DELETE', contestPath(`/submissions/${encodeURIComponent(s.id)}/claim`), {});
  judgingView(section);
}

async function verdict(section, s, accepted, measured, reason) {
  const body = { accepted };
  if (measured !== '') body.measured = Number(measured);
  if (reason) body.reason = reason;
  await act('POST', contestPath(`/submissions/${encodeURIComponent(s.id)}/verdict`), { body },
    () => toast(t(accepted ? 'acceptedToast' : 'rejectedToast', s.id)));
  judgingView(section);
}

async function searchJudged(text, box) {
  const answer = await api('GET', contestPath(`/submissions?state=judged&q=${encodeURIComponent(text.slice(0, 200))}`));
  if (answer.status !== 200) return box.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  if (!answer.body.submissions.length) return box.replaceChildren(el('p', { class: 'muted' }, t('noneJudged')));
  box.replaceChildren(table(['id', t('participant'), t('model'), t('verdict'), t('measured'), t('judgedBy'), t('when')],
    answer.body.submissions.map((s) => el('tr', { 'data-sid': s.id }, el('td', {}, s.id), el('td', {}, s.participant),
      el('td', {}, s.model), el('td', {}, t(`verdict.${s.verdict}`)), el('td', {}, s.measured ?? '—'),
      el('td', {}, s.judge || (s.auto_accepted ? t('automatic') : '—')), el('td', {}, when(s.judged_at))))));
}

function onKey(event) {
  const section = document.getElementById('view-judging');
  if (section.hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName)) return;
  const press = (id) => section.querySelector(`#${id}`)?.click();
  if (event.key === 'j' && selected < pending.length - 1) select(section, selected + 1);
  else if (event.key === 'k' && selected > 0) select(section, selected - 1);
  else if (event.key === 'c') press('claim');
  else if (event.key === 'a') press('accept');
  else if (event.key === 'r') press('reject');
  else return;
  event.preventDefault();
}
