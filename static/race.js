// The chapter race on the big screen: cities (or schools, companies) as horizontal bars
// that grow with their points, with each chapter's member count.
import { translate } from './i18n.js';
import { element, rowName } from './render.js';

export function buildRaceRow(li) {
  li.append(element('span', '', { class: 'rank' }), element('span', '', { class: 'who' }),
    element('span', '', { class: 'bar' }), element('span', '', { class: 'points' }));
  li.children[2].append(element('span', '', { class: 'fill' }));
}

// ctx: { lang, teams, top (the leader's points), reveal(row) -> mark }
export function fillRaceRow(li, row, ctx) {
  const [rank, who, bar, points] = li.children;
  const team = ctx.teams.get(row.id);
  const hidden = ctx.reveal && ctx.reveal(row) === 'hidden';
  rank.textContent = row.rank;
  const name = element('span', hidden ? translate(ctx.lang, 'hidden') : rowName(row, ctx.lang), { class: 'name' });
  const members = element('span', team && !hidden ? translate(ctx.lang, 'members', team.members) : '', { class: 'members' });
  if (!hidden && team && team.branding && team.branding.logo) who.replaceChildren(element('img', undefined, { class: 'logo', src: team.branding.logo, alt: '' }), name, members);
  else who.replaceChildren(name, members);
  const share = hidden || ctx.top <= 0 ? 0 : Math.max(0.02, Number(row.points) / ctx.top);
  bar.children[0].style.transform = `scaleX(${share})`;
  bar.children[0].style.background = (team && team.branding && team.branding.color) || '';
  points.textContent = hidden ? '' : row.points;
}
