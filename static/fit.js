// The board gives way in steps and the total gives way last: the empty rank-change column
// goes, then the headings narrow, then the chapter chips move under the name, then the type
// shrinks. A name or chip of up to twenty characters, a cell or a number is never cut while a
// step is left; longer names and chips may be shortened (they never push the board smaller).
export const LONG_TEXT = 20;
const SCALES = [0.9, 0.8, 0.7, 0.6, 0.5];

export function fitSteps(phone) {
  const base = [{}, { noChange: true }, { noChange: true, shortHeads: true }, { noChange: true, shortHeads: true, stacked: true }];
  const steps = [...base, ...SCALES.map((scale) => ({ noChange: true, shortHeads: true, stacked: true, scale }))];
  // A phone always shows the name above its chips and no rank change.
  return phone ? steps.filter((s) => s.stacked) : steps;
}

// Named lines, so a hidden rank-change column takes no track and each cell names its own.
export function boardTemplate(cellCount, showChange) {
  const cells = cellCount > 0 ? ` repeat(${cellCount}, [cell] max-content)` : '';
  return `[rank] max-content ${showChange ? '[change] max-content [who]' : '[change who]'} minmax(0, 1fr)${cells} [points] max-content`;
}

export const isLong = (text) => [...String(text)].length > LONG_TEXT;

// True when the box's text is cut: by its own width, or by the row or page it sits in.
function cut(node, right) {
  if (node.getClientRects().length === 0) return false;
  return node.scrollWidth > node.clientWidth + 1 || node.getBoundingClientRect().right > right + 1;
}

export class BoardFit {
  // grid: the element holding the heading and the rows; afterFit() lays the board out again
  // (the heading's height may have changed) and says whether the row height moved.
  constructor(grid, { phone, afterFit }) {
    Object.assign(this, { grid, afterFit, steps: fitSteps(phone) });
    this.cellCount = 0;
    this.context = '';
    this.last = '';
    this.frame = 0;
  }

  // context: what else the drawing depends on (contest, board, language, columns).
  request(cellCount, context) {
    this.cellCount = cellCount;
    this.context = context;
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.run(); });
  }

  signature() {
    const rows = [...this.grid.querySelectorAll('.rows li')].map((li) => `${li.dataset.id}:${li.textContent.length}`).join(',');
    return `${innerWidth}x${innerHeight}|${this.context}|${this.cellCount}|${getComputedStyle(this.grid).getPropertyValue('--row-h')}|${rows}`;
  }

  run() {
    const signature = this.signature();
    if (signature === this.last) return;
    let step = this.settle(0);
    if (this.afterFit()) step = this.settle(step);
    this.last = this.signature();
    this.grid.dataset.fit = String(step);
  }

  settle(from) {
    let step = from;
    for (;;) {
      this.apply(this.steps[step]);
      if (step === this.steps.length - 1 || this.fits()) return step;
      step += 1;
    }
  }

  apply(step) {
    // No row shows a rank change: its column takes no room at all.
    const changes = [...this.grid.querySelectorAll('.rows .change')].some((node) => node.textContent !== '');
    const noChange = Boolean(step.noChange) || !changes;
    this.grid.classList.toggle('no-change', noChange);
    this.grid.classList.toggle('short-heads', Boolean(step.shortHeads));
    this.grid.classList.toggle('stacked', Boolean(step.stacked));
    this.grid.style.setProperty('--fit', String(step.scale || 1));
    this.grid.style.setProperty('--board-cols', boardTemplate(this.cellCount, !noChange));
  }

  fits() {
    const limit = innerWidth;
    for (const row of this.grid.querySelectorAll('.heading-row, .rows li')) {
      const box = row.getBoundingClientRect();
      if (box.bottom < 0 || box.top > innerHeight) continue;
      const right = Math.min(limit, box.right - parseFloat(getComputedStyle(row).paddingRight));
      for (const node of row.querySelectorAll('.rank, .change, .cell, .points')) if (cut(node, right)) return false;
      const who = row.querySelector('.who');
      const whoRight = Math.min(right, who.getBoundingClientRect().right);
      for (const node of who.querySelectorAll('.name, .chip')) {
        if (isLong(node.textContent)) continue;
        if (cut(node, whoRight) || node.getBoundingClientRect().bottom > box.bottom + 1) return false;
      }
    }
    return true;
  }
}
