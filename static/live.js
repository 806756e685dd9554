// The WebSocket connection: subscribes, applies snapshots and updates, asks
// for a snapshot again on a gap in seq, reconnects with backoff.
export class LiveBoard {
  constructor({ onState, onRows, onEvents, onMe, onError, onReveal = () => {} }) {
    Object.assign(this, { onState, onRows, onEvents, onMe, onError, onReveal });
    this.rows = new Map();
    this.seq = null;
    this.attempt = 0;
    this.retries = 0;
    this.subscription = null;
    this.socket = null;
  }

  subscribe(subscription) {
    this.subscription = subscription;
    this.seq = null;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.send({ type: 'subscribe', ...subscription });
    else this.connect();
  }

  connect() {
    if (this.socket) { this.socket.onclose = null; this.socket.close(); }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.onState('connecting');
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    this.socket = socket;
    socket.onopen = () => { this.attempt = 0; this.send({ type: 'subscribe', ...this.subscription }); };
    socket.onmessage = (message) => this.receive(JSON.parse(message.data));
    socket.onclose = () => {
      this.onState('reconnecting');
      const delay = Math.min(10000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  }

  send(message) { this.socket.send(JSON.stringify(message)); }

  receive(frame) {
    if (frame.type === 'snapshot') {
      this.retries = 0;
      this.seq = frame.seq;
      this.rows = new Map(frame.rows.map((row) => [row.id, row]));
      this.contest = frame.contest;
      this.total = frame.total;
      this.onState(frame.frozen ? 'frozen' : 'live', frame);
      this.onRows(this.sorted(), { snapshot: true, frozen: frame.frozen });
      this.onEvents(frame.events, { snapshot: true });
      if (frame.me) this.onMe(frame.me);
    } else if (frame.type === 'update') {
      if (this.seq === null) return;  // a snapshot is on its way
      if (frame.seq !== this.seq + 1) { this.seq = null; this.send({ type: 'resync' }); return; }
      this.seq = frame.seq;
      for (const id of frame.removed) this.rows.delete(id);
      for (const row of frame.rows) this.rows.set(row.id, row);
      this.total = frame.total;
      this.onState(frame.frozen ? 'frozen' : 'live', frame);
      this.onRows(this.sorted(), { snapshot: false, reveal: Boolean(frame.reveal) });
      this.onEvents(frame.events, { snapshot: false });
    } else if (frame.type === 'reveal') {
      this.onReveal(frame.reveal);
    } else if (frame.type === 'me') {
      this.onMe(frame.row);
    } else if (frame.type === 'error') {
      this.onError(frame.message);
      // The store was out of reach, so the server let this subscription go: ask again, backing off.
      if (/store cannot be reached/.test(frame.message)) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.subscribe(this.subscription), Math.min(10000, 500 * 2 ** this.retries++));
      }
    }
  }

  sorted() {
    const limit = this.subscription.limit;
    return [...this.rows.values()].sort((a, b) => a.rank - b.rank).filter((row) => row.rank <= limit);
  }
}
