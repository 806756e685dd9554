// The console's sign-ups tab: the community's waiting requests, approved or rejected here.
import { act, codeHosts, confirmAction, el, loginsText, t, table, toast, api, when } from './admin-kit.js';

const stamp = (text) => (text ? when(Date.parse(text) / 1000) : '—');

export async function signUpsView(section) {
  const answer = await api('GET', '/api/community/sign-ups?state=pending');
  const hosts = await codeHosts();
  if (answer.status === 404) return section.replaceChildren(el('h2', {}, t('tab.signups')), el('p', { class: 'muted' }, t('communityClosed')));
  if (answer.status !== 200) return section.replaceChildren(el('p', { class: 'error' }, answer.body.message ?? answer.status));
  const decide = async (request, verdict) => {
    const reason = await confirmAction(t(verdict === 'approve' ? 'approveSignUp' : 'rejectSignUp', request.name), { reason: verdict === 'reject' });
    if (reason === null) return;
    await act('POST', `/api/community/sign-ups/${encodeURIComponent(request.id)}/${verdict}`, { body: reason ? { reason } : {} }, (done) => {
      toast(verdict === 'approve' ? t('approvedAs', request.name, done.body.community_id) : t('rejected', request.name));
      signUpsView(section);
    });
  };
  const rows = answer.body.sign_ups.map((r) => el('tr', { 'data-request': r.id },
    el('td', {}, r.id), el('td', {}, r.name),
    el('td', {}, loginsText(r, hosts)),
    el('td', {}, [r.city, r.school, r.company].filter(Boolean).join(' · ') || '—'), el('td', {}, stamp(r.requested_at)),
    el('td', { class: 'actions' },
      el('button', { type: 'button', class: 'primary', 'data-action': 'approve', onclick: () => decide(r, 'approve') }, t('approve')),
      el('button', { type: 'button', class: 'danger', 'data-action': 'reject', onclick: () => decide(r, 'reject') }, t('refuse')))));
  section.replaceChildren(el('h2', {}, t('tab.signups')), el('p', { class: 'muted' }, t('provenHint')),
    rows.length ? table([t('request'), t('name'), t('logins'), t('chapters'), t('requestedAt'), ''], rows)
      : el('p', { class: 'muted' }, t('noSignUps')));
}
