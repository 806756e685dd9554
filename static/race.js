// The chapter race on the big screen: cities (or schools, companies) as horizontal bars
// that grow with their points, with each chapter's member count.
import { BoardView } from './board-view.js';
import { translate } from './i18n.js';
import { LiveBoard } from './live.js';
import { leadChange } from './moments.js';
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

// The race panel: its own live subscription to a team board, the boards it cycles through,
// and the lead changing hands (a moment).
export class RacePanel {
  // context(board) -> { lang, teams, reveal(row) }
  constructor(list, { context, onLead, onReveal }) {
    this.rows = [];
    this.boards = [];
    this.index = 0;
    this.view = new BoardView(list, { build: buildRaceRow,
      update: (li, row) => fillRaceRow(li, row, { ...context(this.board), top: Math.max(0, ...this.rows.map((r) => Number(r.points))) }) });
    this.live = new LiveBoard({
      onState: () => {}, onEvents: () => {}, onMe: () => {}, onError: () => {}, onReveal,
      onRows: (rows, info) => {
        const lead = info.snapshot ? null : leadChange(this.rows, rows);
        if (lead) onLead(lead.id);
        this.rows = rows;
        this.view.render(rows);
        this.view.refresh();  // every bar is relative to the leader
      },
    });
  }

  get board() { return this.boards[this.index]; }

  setBoards(boards) {
    this.boards = boards;
    this.index = 0;
    this.clear();
  }

  subscribe(contest) {
    if (this.boards.length) this.live.subscribe({ contest, board: this.board, limit: 12, events: 0 });
  }

  rotate(contest) {
    this.index = (this.index + 1) % this.boards.length;
    this.clear();
    this.subscribe(contest);
  }

  refresh() { this.view.refresh(); }
  render() { this.view.render(this.rows); }
  clear() { this.view.clear(); this.rows = []; }
}
