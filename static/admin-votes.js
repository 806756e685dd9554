// A contest's public votes for organizers: every ballot, newest first, with what makes it
// suspect (ballots from the same address, a voter who joined after the vote opened, an identical
// ballot within seconds); a ballot is voided with a reason (audited, the vote re-tallied).
import { act, api, contestPath, el, fill, isAdmin, state, t, table, toast } from './admin-kit.js';

export async function voteBallots(box) {
  if (!isAdmin()) return box.replaceChildren();
  const meta = await api('GET', contestPath('?participants=0'));
  const votes = meta.status === 200 ? ((meta.body.rules && meta.body.rules.components) || []).filter((c) => c.kind === 'votes') : [];
  const parts = [];
  for (const vote of votes) {
    const answer = await api('GET', contestPath(`/votes/${encodeURIComponent(vote.id)}/ballots`));
    if (answer.status !== 200) continue;
    const { ballots, counted } = answer.body;
    const names = new Map(answer.body.entries.map((e) => [e.participant, e.name]));
    const rows = ballots.map((b) => {
      const flags = [];
      if (b.same_client > 1) flags.push(t('voteSameClient', b.same_client));
      if (b.joined_after_open) flags.push(t('voteJoinedLate'));
      if (b.burst) flags.push(t('voteBurst'));
      let action;
      if (b.voided) {
        action = el('span', { class: 'fail' }, t('voteVoided', b.void_reason));
      } else {
        const reason = el('input', { class: 'reason', autocomplete: 'off', maxlength: '500', placeholder: t('reason'), 'aria-label': t('reason') });
        const voidIt = el('button', { type: 'button', class: 'danger' }, t('voteVoid'));
        voidIt.addEventListener('click', () => act('POST', contestPath(`/votes/${encodeURIComponent(vote.id)}/ballots/${encodeURIComponent(b.voter)}/void`),
          { body: { reason: reason.value.trim() } }, () => { toast(t('voteVoidedToast', b.voter_name ?? b.voter)); voteBallots(box); }));
        action = el('span', {}, reason, voidIt);
      }
      return el('tr', { 'data-voter': b.voter, class: flags.length ? 'suspect' : '' },
        el('td', {}, b.voter_name ?? b.voter, el('div', { class: 'muted' }, b.voter)),
        el('td', { class: 'wrap' }, b.entries.map((id) => names.get(id) ?? id).join(' · ')),
        el('td', {}, b.cast_at), el('td', {}, b.client || '—'),
        el('td', { class: 'wrap flags' }, flags.join(' · ') || '—'), el('td', {}, action));
    });
    parts.push(el('h3', {}, t('voteTitle', vote.name[state.lang] || vote.name.en, counted)),
      ballots.length ? table([t('voter'), t('voteEntries'), t('submittedAt'), t('client'), t('voteSignals'), ''], rows)
        : el('p', { class: 'muted' }, t('voteNoBallots')));
  }
  fill(box, ...parts);
}
