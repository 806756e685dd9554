// Who is signed in on the board page (people sign in on the join page): their logins, a way
// to sign out, and which participant of the contest on show they are.
import { translate } from './i18n.js';

export class SessionBox {
  // box: holds #signed-in-as and #sign-out; onParticipant(): the visitor's own participant changed;
  // onChange(): the session was read or ended (whatever changed).
  constructor(box, { lang, onParticipant, onChange = () => {} }) {
    Object.assign(this, { box, lang, onParticipant, onChange });
    this.state = { signed_in: false, accounts: [], participant: null };
    this.hosts = [];
    box.querySelector('#sign-out').addEventListener('click', () => this.signOut());
  }

  participant() { return this.state.participant || ''; }

  async load(contest) {
    const before = this.participant();
    try {
      // The hosts' names are the same for every contest: asked once.
      const [session, hosts] = await Promise.all([fetch(`/api/session?contest=${encodeURIComponent(contest)}`),
        this.hosts.length ? null : fetch('/api/hosts')]);
      if (!session.ok) return this.onChange();
      this.state = { accounts: [], participant: null, ...(await session.json()) };
      if (hosts && hosts.ok) this.hosts = (await hosts.json()).hosts;
    } catch {
      return this.onChange();  // the board works without it
    }
    this.draw();
    if (this.participant() !== before) this.onParticipant();
    this.onChange();
  }

  draw() {
    this.box.hidden = !this.state.signed_in;
    const name = (id) => (this.hosts.find((h) => h.id === id) || { name: id }).name;
    const lang = this.lang();
    this.box.querySelector('#signed-in-as').textContent =
      `${translate(lang, 'signedInAs')} ${this.state.accounts.map((a) => `${name(a.host)}: ${a.login}`).join(', ')}`;
    this.box.querySelector('#sign-out').textContent = translate(lang, 'signOut');
  }

  async signOut() {
    await fetch('/auth/sign-out', { method: 'POST' }).catch(() => null);
    const before = this.participant();
    this.state = { signed_in: false, accounts: [], participant: null };
    this.draw();
    if (before) this.onParticipant();
    this.onChange();
  }
}
