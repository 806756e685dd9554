// Rows keyed by id and kept in rank order in the DOM (what a screen reader reads). A row
// that moves is slid from where it was by the difference of its index times the fixed row
// height: nothing is re-created and drawing never reads layout back, so a 1,000-row board
// redraws within a frame.
export class BoardView {
  constructor(list, { build, update, onPick }) {
    Object.assign(this, { list, build, update, onPick });
    this.items = new Map();
    this.rowHeight = 48;
  }

  setRowHeight(px) {
    if (px === this.rowHeight || !(px > 0)) return;
    this.rowHeight = px;
    this.list.style.setProperty('--row-h', `${px}px`);
  }

  render(rows) {
    const seen = new Set();
    let cursor = this.list.firstElementChild;
    rows.forEach((row, index) => {
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
      else if (item.index !== index)
        item.li.animate([{ transform: `translateY(${(item.index - index) * this.rowHeight}px)` }, { transform: 'none' }],
          { duration: 600, easing: 'ease-out' });
      item.index = index;
      item.row = row;
    });
    for (const [id, item] of this.items)
      if (!seen.has(id)) { item.li.remove(); this.items.delete(id); }
  }

  // Redraws every row's content (a language switch, new cells) without moving any.
  refresh() {
    for (const item of this.items.values()) if (item.row) this.update(item.li, item.row, item.row);
  }

  clear() {
    this.list.replaceChildren();
    this.items.clear();
  }
}
