// Points and clock (adjustments, freeze / unfreeze, finalize, exports), recompute with its
// dry-run diff, the audit log (filtered, paged) and "why didn't this count".
import { act, api, confirmAction, contestPath, el, state, t, table, toast } from './admin-kit.js';
import { certificatesBox } from './admin-certificates.js';

export async function pointsView(section) {
  const [overview, roster] = await Promise.all([api('GET', contestPath('/overview')), api('GET', contestPath('/participants'))]);
  if (overview.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, overview.body.message ?? overview.status));
  const o = overview.body;
  const who = el('select', { id: 'adjust-participant' }, (roster.body.participants ?? []).map((p) => el('option', { value: p.id }, `${p.name} (${p.id})`)));
  const points = el('input', { id: 'adjust-points', type: 'number', step: '0.01' });
  const reason = el('input', { id: 'adjust-reason', autocomplete: 'off' });
  const adjust = async () => {
    await act('POST', contestPath('/adjustments'), { body: { participant: who.value, points: Number(points.value), reason: reason.value } },
      () => { toast(t('applied')); points.value = ''; reason.value = ''; });
  };
  const clockAction = (action, key) => async () => {
    const answer = await confirmAction(t(key), { reason: true });
    if (answer === null) return;
    const result = await act('POST', contestPath(`/${action}`), { body: answer ? { reason: answer } : {} }, (r) => toast(t(`${action}Done`, r.body.outcome)));
    // A refusal changed nothing: redrawing would only move the buttons from under the next click.
    if (result.status < 400) pointsView(section);
  };
  const exportLink = (format) => el('button', { type: 'button', id: `export-${format}`, onclick: () => download(format) }, t(`export.${format}`));
  section.replaceChildren(
    el('h2', {}, t('adjustTitle')),
    el('div', { class: 'row' }, el('label', {}, t('participant'), who), el('label', {}, t('points'), points),
      el('label', { class: 'grow' }, t('reason'), reason), el('button', { type: 'button', id: 'adjust', class: 'primary', onclick: adjust }, t('adjust'))),
    el('h2', {}, t('clockTitle')),
    el('p', { id: 'clock-state' }, t('stateNow', t(`clock.${o.clock.state}`))),
    el('div', { class: 'row' },
      el('button', { type: 'button', id: 'freeze', disabled: o.clock.public_frozen || Boolean(o.final), onclick: clockAction('freeze', 'confirmFreeze') }, t('freeze')),
      el('button', { type: 'button', id: 'unfreeze', disabled: !o.clock.public_frozen || Boolean(o.final), onclick: clockAction('unfreeze', 'confirmUnfreeze') }, t('unfreeze')),
      el('button', { type: 'button', id: 'finalize', class: 'danger', disabled: Boolean(o.final), onclick: clockAction('finalize', 'confirmFinalize') }, t('finalize'))),
    el('p', { class: 'muted' }, t('finalizeHelp')),
    el('section', { id: 'certificates' }),
    el('h2', {}, t('exportTitle')), el('div', { class: 'row' }, exportLink('json'), exportLink('csv')),
    el('pre', { id: 'export-info', class: 'muted' }),
    el('h2', {}, t('configTitle')), el('p', { class: 'muted' }, t('configHelp')),
    el('button', { type: 'button', id: 'config-reload', onclick: () => reloadConfig(section) }, t('configReload')),
    el('div', { id: 'config-result' }));
  certificatesBox(section.querySelector('#certificates'), Boolean(o.final));
}

async function reloadConfig(section) {
  const answer = await api('POST', '/api/config/reload');
  const box = section.querySelector('#config-result');
  if (answer.status === 200) {
    const restart = answer.body.restart_needed_for ?? [];
    return box.replaceChildren(el('p', { class: 'pass' }, t('configReloaded', answer.body.contests.join(', '))),
      restart.length ? el('p', { class: 'muted' }, t('configRestart', restart.join(', '))) : null);
  }
  box.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status),
    el('ul', { id: 'config-problems', class: 'problems' }, (answer.body.problems ?? []).map((p) => el('li', {}, p))));
}

async function download(format) {
  const answer = await api('GET', contestPath(`/standings?limit=1000000&format=${format}`));
  if (answer.status !== 200) return toast(answer.body.message ?? String(answer.status), 'error');
  const text = format === 'json' ? JSON.stringify(answer.body, null, 2) : answer.body;
  const final = format === 'json' ? answer.body.final : answer.headers.get('X-Standings-Final') === 'true';
  const checksum = format === 'json' ? answer.body.checksum : answer.headers.get('X-Standings-Checksum');
  document.getElementById('export-info').textContent = final ? t('finalExport', checksum) : t('liveExport');
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv' })),
    download: `${state.contest}-standings${final ? '-final' : ''}.${format}` });
  link.click();
}

export async function recomputeView(section) {
  const result = el('div', { id: 'recompute-result' });
  const apply = el('button', { type: 'button', id: 'recompute-apply', class: 'danger', disabled: true, onclick: () => run(false) }, t('recomputeApply'));
  const run = async (dry) => {
    if (!dry && await confirmAction(t('confirmRecompute')) === null) return;
    result.replaceChildren(el('p', { class: 'muted' }, t('working')));
    await act('POST', contestPath(`/recompute${dry ? '?dry_run=1' : ''}`), { body: {} }, (answer) => {
      const r = answer.body;
      result.replaceChildren(el('p', { id: 'recompute-summary' }, t(dry ? 'recomputeWould' : 'recomputeDid', r.changes_total, r.awards)),
        r.changes.length ? table([t('board'), t('member'), t('before'), t('after')], r.changes.map((c) => el('tr', {},
          el('td', {}, c.board), el('td', {}, c.member), el('td', {}, c.before?.points ?? '—'), el('td', {}, c.after?.points ?? '—')))) : null);
      apply.disabled = !dry;
    });
  };
  section.replaceChildren(el('h2', {}, t('tab.recompute')), el('p', { class: 'muted' }, t('recomputeHelp')),
    el('div', { class: 'row' }, el('button', { type: 'button', id: 'recompute-dry', onclick: () => run(true) }, t('dryRun')), apply), result);
}

export async function auditView(section) {
  const action = el('input', { id: 'audit-action', placeholder: t('action'), list: 'audit-actions' });
  const actor = el('input', { id: 'audit-actor', placeholder: t('actor') });
  const actions = el('datalist', { id: 'audit-actions' }, ['adjustment', 'verdict', 'component_scores', 'import_teams', 'import_participants',
    'disqualify', 'reinstate', 'freeze', 'unfreeze', 'finalize', 'recompute', 'recompute_dry_run', 'issue_token', 'revoke_tokens', 'homework_score', 'void_ballot', 'issue_certificates']
    .map((a) => el('option', { value: a })));
  const body = el('tbody', { id: 'audit-rows' });
  const more = el('button', { type: 'button', id: 'audit-more', hidden: true }, t('older'));
  let before = null;
  let generation = 0;  // a newer filter wins over an answer still on its way
  const load = async (reset) => {
    const mine = reset ? ++generation : generation;
    const params = new URLSearchParams({ limit: '50' });
    if (action.value) params.set('action', action.value);
    if (actor.value) params.set('actor', actor.value);
    if (before && !reset) params.set('before', before);
    const answer = await api('GET', contestPath(`/audit?${params}`));
    if (mine !== generation) return;
    if (answer.status !== 200) return toast(answer.body.message ?? String(answer.status), 'error');
    if (reset) body.replaceChildren();
    for (const e of answer.body.entries) {
      const { at, actor: who, action: what, reason, id, ...details } = e;
      body.append(el('tr', {}, el('td', {}, at), el('td', {}, who), el('td', {}, what), el('td', {}, reason || '—'),
        el('td', { class: 'details' }, JSON.stringify(details))));
    }
    before = answer.body.next_before;
    more.hidden = !before;
  };
  more.addEventListener('click', () => load(false));
  for (const input of [action, actor]) {
    input.addEventListener('change', () => load(true));
    input.addEventListener('keydown', (event) => { if (event.key === 'Enter') load(true); });
  }
  section.replaceChildren(el('h2', {}, t('tab.audit')), el('div', { class: 'row' }, action, actor, actions),
    el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, [t('when'), t('actor'), t('action'), t('reason'), t('details')].map((h) => el('th', {}, h)))), body),
    more);
  load(true);
}

export async function explainView(section) {
  const input = el('input', { id: 'explain-input', class: 'grow', placeholder: t('explainHelp') });
  const out = el('div', { id: 'explain-result' });
  const run = async () => {
    const value = input.value.trim();
    const query = value.startsWith('http') ? `pr=${encodeURIComponent(value)}` : `login=${encodeURIComponent(value)}`;
    const answer = await api('GET', contestPath(`/explain?${query}`));
    if (answer.status !== 200) return out.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
    const records = answer.body.awards ?? [answer.body];
    out.replaceChildren(
      answer.body.login !== undefined ? el('p', {}, answer.body.registered_as ? t('loginIs', answer.body.login, answer.body.registered_as) : t('loginNotRegistered', answer.body.login)) : null,
      ...records.map((r) => el('div', { class: 'panel explain' },
        el('h3', {}, `${r.subject} · ${r.found === false ? t('notFound') : `${r.points ?? r.stored_points} ${t('points')}`}`),
        r.arrived_after_final ? el('p', { class: 'fail' }, t('afterFinal')) : null,
        r.detail ? el('p', { class: 'muted' }, r.detail) : null,
        r.checks ? el('ul', { class: 'checks' }, r.checks.map((c) => el('li', { class: c.passed ? 'pass' : 'fail', 'data-check': c.check },
          `${c.passed ? '✓' : '✗'} ${t(`check.${c.check}`)}: ${c.detail}`))) : null)));
  };
  input.addEventListener('keydown', (event) => { if (event.key === 'Enter') run(); });
  section.replaceChildren(el('h2', {}, t('tab.explain')),
    el('div', { class: 'row' }, input, el('button', { type: 'button', id: 'explain-run', class: 'primary', onclick: run }, t('explain'))), out);
}
