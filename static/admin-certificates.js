// The certificates of a final contest: every placed participant's, with its revision, a link to
// the printable page and the hash the final export lists; issued again after a correction
// (a changed name raises the revision, the id stays).
import { act, api, contestPath, el, fill, state, t, table, toast } from './admin-kit.js';

export async function certificatesBox(box, final) {
  const answer = await api('GET', contestPath('/certificates'));
  if (answer.status !== 200) return box.replaceChildren();
  const records = answer.body.certificates;
  const local = (text) => text[state.lang] || text.en;
  const rows = records.map((c) => el('tr', { 'data-certificate': c.id }, el('td', { class: 'num' }, String(c.rank)), el('td', {}, c.name),
    el('td', {}, local(c.title)), el('td', { class: 'num' }, String(c.revision)),
    el('td', {}, el('a', { href: `/certificates/${c.id}?lang=${state.lang}`, target: '_blank', rel: 'noopener' }, t('certificateOpen'))),
    el('td', { class: 'wrap mono' }, c.hash)));
  const issue = el('button', { type: 'button', id: 'issue-certificates', disabled: !final }, t(records.length ? 'certificatesReissue' : 'certificatesIssue'));
  issue.addEventListener('click', () => act('POST', contestPath('/certificates'), { body: {} }, (r) => {
    toast(t('certificatesIssued', r.body.certificates.length));
    certificatesBox(box, final);
  }));
  fill(box, el('h2', {}, t('certificatesTitle')),
    records.length ? table([t('rank'), t('participant'), t('placing'), t('revision'), '', t('hash')], rows)
      : el('p', { class: 'muted', id: 'certificates-empty' }, t(final ? 'certificatesNone' : 'certificatesAfterFinal')),
    el('div', { class: 'row' }, issue));
}
