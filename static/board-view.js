// Rows keyed by id, in rank order. Only the rows in view (and a margin) are in the DOM: the
// list keeps the height of all of them, so a 1,000-row board costs what forty rows cost. A
// row that moves is slid from where it was by the difference of its index times the fixed
// row height: nothing is re-created and drawing reads layout once, before any change.
const margin = 12;

export class BoardView {
  constructor(list, { build, update, onPick }) {
    Object.assign(this, { list, build, update, onPick });
    this.items = new Map();
    this.rows = [];
    this.rowHeight = 48;
    this.pending = false;
    window.addEventListener('scroll', () => {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.render(this.rows); });
    }, { passive: true });
  }

  setRowHeight(px) {
    if (px === this.rowHeight || !(px > 0)) return;
    this.rowHeight = px;
    this.list.style.setProperty('--row-h', `${px}px`);
  }

  // The indexes in view, with a margin each side.
  window(count) {
    const top = this.list.getBoundingClientRect().top - (parseFloat(this.list.style.paddingTop) || 0);
    const first = Math.max(0, Math.floor(-top / this.rowHeight) - margin);
    const last = Math.min(count - 1, Math.ceil((window.innerHeight - top) / this.rowHeight) + margin);
    return [first, Math.max(first - 1, last)];
  }

  render(rows) {
    this.rows = rows;
    const [first, last] = this.window(rows.length);
    const inView = (i) => i >= first && i <= last;
    const seen = new Set();
    let cursor = this.list.firstElementChild;
    for (let index = first; index <= last; index++) {
      const row = rows[index];
      let item = this.items.get(row.id);
      if (!item) {
        const li = document.createElement('li');
        li.dataset.id = row.id;
        this.build(li, row);
        item = { li, row: null, index: -1 };
        if (this.onPick) li.addEventListener('click', () => this.onPick(item.row));
        this.items.set(row.id, item);
      }
      seen.add(row.id);
      if (item.li === cursor) cursor = cursor.nextElementSibling;
      else this.list.insertBefore(item.li, cursor);
      if (item.row !== row) {
        this.update(item.li, row, item.row);
        if (item.row && String(item.row.points) !== String(row.points))
          item.li.animate([{ backgroundColor: '#164e63' }, { backgroundColor: 'transparent' }], { duration: 1500, easing: 'ease-out' });
        item.li.dataset.points = String(row.points);
        item.li.dataset.rank = String(row.rank);
      }
      if (item.index === -1) item.li.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 400 });
      else if (item.index !== index && inView(item.index))
        item.li.animate([{ transform: `translateY(${(item.index - index) * this.rowHeight}px)` }, { transform: 'none' }],
          { duration: 600, easing: 'ease-out' });
      item.index = index;
      item.row = row;
    }
    for (const [id, item] of this.items)
      if (!seen.has(id)) { item.li.remove(); this.items.delete(id); }
    this.list.style.paddingTop = `${first * this.rowHeight}px`;
    this.list.style.height = `${rows.length * this.rowHeight}px`;
  }

  // Redraws every row's content (a language switch, new cells) without moving any.
  refresh() {
    for (const item of this.items.values()) if (item.row) this.update(item.li, item.row, item.row);
  }

  clear() {
    this.list.replaceChildren();
    this.items.clear();
    this.rows = [];
  }
}
