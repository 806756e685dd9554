// The stage reveal as every screen shows it: the top `rows` of the revealed board stay
// hidden until the presenter uncovers them, last place first. The presenter's screen
// (signed in with the admin token, kept in this tab only) sends the steps; the others
// follow the frames the server streams.

// 'hidden' for a row not uncovered yet, 'just' for the one uncovered last, null otherwise.
export function revealMark(row, state, board) {
  if (!state || !state.active || state.board !== board) return null;
  const covered = state.rows - state.step;  // ranks 1..covered are still hidden
  if (row.rank <= covered) return 'hidden';
  if (state.step > 0 && row.rank === covered + 1) return 'just';
  return null;
}

export class Presenter {
  constructor(contestId, { onState, onError, askToken }) {
    Object.assign(this, { contestId, onState, onError, askToken });
    this.token = sessionStorage.getItem('lb-presenter-token') || '';
    this.state = null;
    this.timer = null;
  }

  get active() { return Boolean(this.token); }

  claim() {
    const token = this.askToken();
    if (!token) return false;
    this.token = token;
    sessionStorage.setItem('lb-presenter-token', token);
    return true;
  }

  async send(action, extra = {}) {
    const response = await fetch(`/api/contests/${encodeURIComponent(this.contestId)}/reveal`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ action, ...extra }),
    });
    const answer = await response.json();
    if (!response.ok) {
      if (response.status === 401) { this.token = ''; sessionStorage.removeItem('lb-presenter-token'); }
      this.onError(answer.error ? answer.error.message : String(response.status));
      return;
    }
    this.follow(answer);
    this.onState(answer);
  }

  // Auto mode: this screen keeps the pace; every screen sees the steps.
  follow(state) {
    this.state = state;
    clearTimeout(this.timer);
    if (state.active && state.auto && state.step < state.rows)
      this.timer = setTimeout(() => this.send('next'), state.pace_seconds * 1000);
  }
}

// The presenter's keys and buttons: P claims the role (asks for the admin token), then
// → / space / N next, ← / B back, A auto or pause, S start, Esc end.
export function presenterKeys(presenter, bar, { start, autoplaying }) {
  const act = (action) => {
    if (!presenter.active) return;
    if (action === 'start') presenter.send('start', start());
    else presenter.send(action);
  };
  bar.hidden = !presenter.active;
  bar.addEventListener('click', (e) => { if (e.target.dataset.action) act(e.target.dataset.action); });
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'p' && !presenter.active) { if (presenter.claim()) bar.hidden = false; return; }
    const keys = { ArrowRight: 'next', ' ': 'next', n: 'next', ArrowLeft: 'back', b: 'back', s: 'start', Escape: 'stop' };
    if (e.key === 'a') act(autoplaying() ? 'pause' : 'auto');
    else if (keys[e.key]) { e.preventDefault(); act(keys[e.key]); }
  });
}
