// Moments: short overlays the award stream calls for, with nothing to configure: the
// first reproduction of a model, a chapter taking the lead, someone entering the top 3,
// and merged-PR milestones. Detection is pure (unit-tested); the queue shows one at a
// time, briefly, and drops the oldest waiting ones rather than hold the board.

export const milestones = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export function leadChange(before, after) {
  const was = before.find((r) => r.rank === 1);
  const now = after.find((r) => r.rank === 1);
  if (!was || !now || was.id === now.id || Number(now.points) <= 0) return null;
  // A tie at the top is not a lead taken.
  if (after.filter((r) => r.rank === 1).length > 1) return null;
  return { type: 'lead', id: now.id };
}

export function topThreeEntries(before, after) {
  const old = new Map(before.map((r) => [r.id, r.rank]));
  return after.filter((r) => r.rank <= 3 && Number(r.points) > 0 && (!old.has(r.id) || old.get(r.id) > 3) && before.length > 0)
    .map((r) => ({ type: 'top3', id: r.id, rank: r.rank }));
}

export function firstReproductions(events) {
  return events.filter((e) => e.source === 'first_bonus' && Number(e.delta) > 0 && e.participant)
    .map((e) => ({ type: 'first', model: e.model, participant: e.participant, name: e.participant_name || e.participant }));
}

// A merged PR (from any host: its event names a repository and a number) counts once: its first
// award (delta equal to its points); relabels change points later.
export function newMergedPrs(events) {
  return events.filter((e) => e.repo && Number(e.number) > 0 && Number(e.points) > 0 && Number(e.delta) === Number(e.points)).length;
}

export function milestonesCrossed(before, after) {
  return milestones.filter((m) => before < m && after >= m).map((m) => ({ type: 'milestone', count: m }));
}

export class MomentQueue {
  constructor(box, { showMs = 4000, maxWaiting = 3 } = {}) {
    Object.assign(this, { box, showMs, maxWaiting });
    this.waiting = [];
    this.showing = false;
  }

  push(text, kind) {
    this.waiting.push({ text, kind });
    if (this.waiting.length > this.maxWaiting) this.waiting.shift();
    if (!this.showing) this.next();
  }

  next() {
    const moment = this.waiting.shift();
    if (!moment) { this.showing = false; this.box.hidden = true; return; }
    this.showing = true;
    this.box.textContent = moment.text;
    this.box.className = `moment ${moment.kind}`;
    this.box.hidden = false;
    this.box.animate([{ opacity: 0, transform: 'translate(-50%, -1em) scale(.96)' }, { opacity: 1, transform: 'translate(-50%, 0) scale(1)' }],
      { duration: 350, easing: 'ease-out' });
    setTimeout(() => this.next(), this.showMs);
  }
}
