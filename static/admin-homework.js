// Homework beside the reproductions in the judges' queue: what waits, oldest first, by the
// participant's name, with its link, note and whether it came late; a score 0..max and a comment
// score it (again replaces the score). Scored ones are listed below with their judge.
import { act, api, contestPath, el, fill, t, table, toast } from './admin-kit.js';

export async function homeworkQueue(box) {
  const answer = await api('GET', contestPath('/homework?state=all'));
  if (answer.status !== 200 || answer.body.hand_ins.length === 0) return box.replaceChildren();
  const all = answer.body.hand_ins;
  const waiting = all.filter((h) => h.score === undefined);
  const scored = all.filter((h) => h.score !== undefined);
  const link = (h) => el('a', { href: /^https?:\/\//.test(h.url) ? h.url : '#', target: '_blank', rel: 'noopener noreferrer' }, h.url);
  const rows = waiting.map((h) => {
    const points = el('input', { type: 'number', min: '0', step: '0.01', class: 'points', placeholder: t('points'), 'aria-label': t('points') });
    const comment = el('input', { class: 'comment', autocomplete: 'off', maxlength: '500', placeholder: t('comment') });
    const score = el('button', { type: 'button', class: 'primary' }, t('score'));
    score.addEventListener('click', () => act('POST', contestPath(`/homework/${encodeURIComponent(h.id)}/score`),
      { body: { points: Number(points.value), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) } },
      () => { toast(t('scoredToast', h.participant_name ?? h.participant, h.assignment)); homeworkQueue(box); }));
    // A claim keeps a second judge off this hand-in for 15 minutes, as in the reproductions' queue.
    const claim = el('button', { type: 'button', class: 'claim' }, t('claim'));
    claim.addEventListener('click', () => act('POST', contestPath(`/homework/${encodeURIComponent(h.id)}/claim`), {},
      () => homeworkQueue(box)));
    return el('tr', { 'data-hand-in': h.id }, el('td', {}, h.participant_name ?? h.participant), el('td', {}, `${h.component} · ${h.assignment}`),
      el('td', { class: 'wrap' }, link(h), h.note ? el('div', { class: 'muted' }, h.note) : null),
      el('td', {}, h.handed_at, h.late ? el('div', { class: 'fail' }, t('late')) : null),
      el('td', {}, points, comment, score, h.claimed_by ? el('div', { class: 'muted claimed-by' }, t('claimedByName', h.claimed_by)) : claim));
  });
  const done = scored.map((h) => el('tr', { 'data-hand-in': h.id }, el('td', {}, h.participant_name ?? h.participant),
    el('td', {}, `${h.component} · ${h.assignment}`), el('td', { class: 'wrap' }, link(h)), el('td', {}, String(h.score)),
    el('td', {}, h.judge), el('td', { class: 'wrap' }, h.comment || '—')));
  fill(box, el('h3', {}, t('homeworkTitle')),
    waiting.length ? table([t('participant'), t('assignment'), t('handedIn'), t('submittedAt'), t('score')], rows)
      : el('p', { class: 'muted', id: 'homework-empty' }, t('homeworkEmpty')),
    scored.length ? el('details', {}, el('summary', {}, t('homeworkScored', scored.length)),
      table([t('participant'), t('assignment'), t('handedIn'), t('score'), t('judgedBy'), t('comment')], done)) : null);
}
