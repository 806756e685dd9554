// Data in, safely: uploads of teams, participants and component scores are checked with a dry
// run (the rows that would change, every bad row by line) before they can be applied; the
// participants (search, disqualify / reinstate, submission tokens); unattributed logins.
import { act, api, codeHosts, confirmAction, contestPath, el, loginsText, t, table, toast } from './admin-kit.js';

let checked = null;  // {target, content, type} of the last clean dry run

function uploadTargets(contest) {
  return [['teams', t('teams')], ['participants', t('participants')],
    ...(contest.rules?.components ?? []).map((c) => [`components/${c.id}`, `${t('componentScores')}: ${c.id}`])];
}

export async function dataView(section) {
  const [contest, roster, unattributed] = await Promise.all([api('GET', contestPath()), api('GET', contestPath('/participants')),
    api('GET', contestPath('/unattributed'))]);
  if (roster.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, roster.body.message ?? roster.status));
  const target = el('select', { id: 'upload-target' }, uploadTargets(contest.body).map(([value, label]) => el('option', { value }, label)));
  const text = el('textarea', { id: 'upload-text', rows: 7, spellcheck: 'false', placeholder: t('uploadHelp') });
  const file = el('input', { id: 'upload-file', type: 'file', accept: '.csv,.json,text/csv,application/json' });
  file.addEventListener('change', async () => { text.value = await file.files[0]?.text() ?? ''; checked = null; apply.disabled = true; });
  const result = el('div', { id: 'upload-result' });
  const apply = el('button', { type: 'button', id: 'upload-apply', class: 'primary', disabled: true,
    onclick: () => applyUpload(section, result) }, t('apply'));
  text.addEventListener('input', () => { checked = null; apply.disabled = true; });
  target.addEventListener('change', () => { checked = null; apply.disabled = true; });
  const check = el('button', { type: 'button', id: 'upload-check', onclick: () => dryRun(target.value, text.value, result, apply) }, t('dryRun'));
  const hosts = await codeHosts();
  section.replaceChildren(
    el('h2', {}, t('uploadTitle')),
    el('div', { class: 'row' }, target, file), text, el('div', { class: 'row' }, check, apply), result,
    participantsBlock(section, roster.body, hosts),
    unattributedBlock(section, roster.body, unattributed.status === 200 ? unattributed.body.logins : [], hosts));
}

const contentType = (content) => (/^\s*[[{]/.test(content) ? 'application/json' : 'text/csv');

async function dryRun(target, content, result, apply) {
  const type = contentType(content);
  const answer = await api('PUT', contestPath(`/${target}?dry_run=1`), { raw: content, type });
  apply.disabled = true;
  checked = null;
  if (answer.status === 400 && Array.isArray(answer.body.problems)) {
    return result.replaceChildren(el('p', { class: 'error' }, t('nothingApplied', answer.body.problems.length)),
      el('ul', { id: 'upload-problems', class: 'problems' }, answer.body.problems.map((p) => el('li', {}, p))));
  }
  if (answer.status !== 200) return result.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  const changes = answer.body.changes ?? [];
  const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  result.replaceChildren(
    el('p', { id: 'upload-summary' }, t('wouldChange', changes.length, answer.body.unchanged ?? 0)),
    changes.length ? table([t('row'), t('change'), t('before'), t('after')], changes.map((c) => el('tr', {},
      el('td', {}, c.id ?? c.participant), el('td', {}, t(`change.${c.change ?? 'update'}`)),
      el('td', {}, show(c.before)), el('td', {}, show(c.after))))) : null);
  checked = { target, content, type };
  apply.disabled = changes.length === 0;
}

async function applyUpload(section, result) {
  if (!checked) return;
  const { target, content, type } = checked;
  await act('PUT', contestPath(`/${target}`), { raw: content, type }, (answer) => {
    toast(t('applied'));
    result.replaceChildren(el('p', { id: 'upload-summary' }, t('appliedRows', answer.body.imported ?? answer.body.scores ?? 0)));
    checked = null;
  });
}

function participantsBlock(section, roster, hosts) {
  const search = el('input', { id: 'participant-search', type: 'search', placeholder: t('searchParticipants') });
  const list = el('div', { id: 'participant-list' });
  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const rows = roster.participants.filter((p) => !needle || [p.id, p.name, ...hosts.map((h) => p[h.id])].some((v) => v?.toLowerCase().includes(needle)));
    list.replaceChildren(table([t('participant'), t('name'), t('logins'), t('status'), ''], rows.slice(0, 200).map((p) => el('tr', { 'data-pid': p.id },
      el('td', {}, p.id), el('td', {}, p.name), el('td', {}, loginsText(p, hosts) || '—'),
      el('td', {}, p.disqualified ? t('disqualified') : t('active')),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: p.disqualified ? '' : 'danger', onclick: () => toggle(section, p) }, p.disqualified ? t('reinstate') : t('disqualify')),
        el('button', { type: 'button', onclick: () => issueToken(p) }, t('issueToken')),
        el('button', { type: 'button', onclick: () => revokeTokens(p) }, t('revokeTokens')))))));
  };
  search.addEventListener('input', render);
  render();
  return el('div', {}, el('h2', {}, t('participants')), search, list, el('p', { id: 'issued-token', class: 'token', hidden: true }));
}

async function toggle(section, p) {
  const reason = await confirmAction(t(p.disqualified ? 'confirmReinstate' : 'confirmDisqualify', p.name), { reason: true, required: true });
  if (reason === null) return;
  await act('POST', contestPath(`/participants/${encodeURIComponent(p.id)}/${p.disqualified ? 'reinstate' : 'disqualify'}`),
    { body: { reason } }, () => toast(t('applied')));
  dataView(section);
}

async function issueToken(p) {
  await act('POST', contestPath(`/participants/${encodeURIComponent(p.id)}/tokens`), {}, (answer) => {
    const box = document.getElementById('issued-token');
    box.textContent = t('tokenIssued', p.name, answer.body.token);
    box.hidden = false;
  });
}

async function revokeTokens(p) {
  if (await confirmAction(t('confirmRevoke', p.name)) === null) return;
  await act('DELETE', contestPath(`/participants/${encodeURIComponent(p.id)}/tokens`), {}, () => toast(t('applied')));
}

function unattributedBlock(section, roster, logins, hosts) {
  const rows = logins.map((entry) => {
    const [host, login] = entry.login.split(':');
    const pick = el('select', { 'aria-label': t('participant') }, el('option', { value: '' }, t('choose')),
      roster.participants.filter((p) => !p[host]).map((p) => el('option', { value: p.id }, `${p.name} (${p.id})`)));
    const register = async () => {
      const p = roster.participants.find((x) => x.id === pick.value);
      if (!p) return toast(t('choose'), 'error');
      const row = { id: p.id, name: p.name, teams: p.teams };
      for (const h of hosts) if (p[h.id]) row[h.id] = p[h.id];
      row[host] = login;
      await act('PUT', contestPath('/participants'), { raw: JSON.stringify([row]), type: 'application/json' }, () => toast(t('applied')));
      dataView(section);
    };
    return el('tr', { 'data-login': entry.login }, el('td', {}, entry.login), el('td', {}, entry.subjects.length),
      el('td', {}, pick, el('button', { type: 'button', onclick: register }, t('register'))));
  });
  return el('div', {}, el('h2', {}, t('unattributed')),
    rows.length ? table([t('login'), t('pullRequests'), ''], rows) : el('p', { class: 'muted', id: 'unattributed-empty' }, t('noneUnattributed')));
}
