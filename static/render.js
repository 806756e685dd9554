// Drawing the board, the ticker and the chart. Every name, title and label
// goes in through textContent or an SVG text node: never as HTML.
import { translate } from './i18n.js';

export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

export function rowName(row, lang) {
  return lang === 'zh' && row.name_zh ? row.name_zh : row.name;
}

// Renders rows and slides each one from where it was (FLIP), so rank changes are seen.
export function renderRows(list, rows, lang, onPick) {
  const before = new Map([...list.children].map((li) => [li.dataset.id, li.getBoundingClientRect().top]));
  const previousPoints = new Map([...list.children].map((li) => [li.dataset.id, li.dataset.points]));
  const items = rows.map((row) => {
    const li = element('li', undefined, { 'data-id': row.id, 'data-points': String(row.points) });
    li.append(element('span', row.rank, { class: 'rank' }), element('span', rowName(row, lang), { class: 'name' }),
      element('span', row.points, { class: 'points' }));
    li.addEventListener('click', () => onPick(row));
    if (previousPoints.has(row.id) && previousPoints.get(row.id) !== String(row.points)) li.classList.add('scored');
    return li;
  });
  list.replaceChildren(...items);
  for (const li of items) {
    const old = before.get(li.dataset.id);
    if (old === undefined) { li.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 400 }); continue; }
    const delta = old - li.getBoundingClientRect().top;
    if (delta) li.animate([{ transform: `translateY(${delta}px)` }, { transform: 'translateY(0)' }], { duration: 600, easing: 'ease-out' });
  }
}

// "上海 +10 · fix: … #123 merged by alice"
export function eventLine(event, lang) {
  const team = event.team ? (lang === 'zh' ? event.team.name_zh : event.team.name) : '';
  const who = event.participant_name || event.participant || event.unattributed_login || '';
  const sign = event.delta >= 0 ? '+' : '';
  const head = [team, `${sign}${event.delta}`].filter(Boolean).join(' ');
  const what = event.number ? `${event.title} #${event.number}` : event.title;
  const credit = who ? translate(lang, event.number ? 'merged' : 'earnedBy', who) : '';
  return `${head} · ${what} ${credit}`.trim();
}

export function renderTicker(container, events, lang) {
  const items = events.slice(-12).reverse().map((event) => {
    const line = element(event.url ? 'a' : 'span', eventLine(event, lang), { class: 'event' });
    if (event.url && /^https?:\/\//.test(event.url)) { line.href = event.url; line.target = '_blank'; line.rel = 'noopener'; }
    return line;
  });
  container.replaceChildren(...items);
}

// Cumulative points over time as an SVG polyline with a few labels.
export function renderChart(svg, series) {
  const ns = 'http://www.w3.org/2000/svg';
  svg.replaceChildren();
  if (series.length === 0) return;
  const times = series.map((p) => Date.parse(p.at));
  const totals = series.map((p) => p.total);
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
  const low = Math.min(0, ...totals), high = Math.max(1, ...totals);
  const x = (t) => 40 + ((t - t0) / (t1 - t0)) * 540;
  const y = (v) => 200 - ((v - low) / (high - low)) * 180;
  let d = `M ${x(times[0])} ${y(0)}`;
  series.forEach((p, i) => { d += ` L ${x(times[i])} ${y(i ? totals[i - 1] : 0)} L ${x(times[i])} ${y(totals[i])}`; });
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  path.setAttribute('class', 'line');
  svg.append(path);
  for (const [value, ypos] of [[high, y(high)], [low, y(low)]]) {
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', '4');
    label.setAttribute('y', String(ypos + 4));
    label.textContent = String(value);
    svg.append(label);
  }
}

// One line per award behind a participant's total, with its reason and a link to the
// PR or the reproduction's evidence when there is one.
export function renderAwards(list, awards, lang) {
  list.replaceChildren(...awards.map((award) => {
    const li = element('li', undefined, { class: `award ${award.kind}` });
    const sign = Number(award.counted) >= 0 ? '+' : '';
    li.append(element('span', translate(lang, award.kind), { class: 'kind' }),
      element('span', `${sign}${award.counted}`, { class: 'points' }));
    const href = award.details && (award.details.url || award.details.evidence_url);
    const label = award.details && award.details.title ? `${award.details.title} #${award.details.number}` : award.subject;
    const link = element(href ? 'a' : 'span', label, { class: 'subject' });
    if (href && /^https?:\/\//.test(href)) { link.href = href; link.target = '_blank'; link.rel = 'noopener'; }
    li.append(link, element('span', award.reason, { class: 'reason' }));
    return li;
  }));
}

// Unfreezing: the final rows appear one by one from the bottom of the board up.
export function playReveal(list) {
  const items = [...list.children];
  list.classList.add('revealing');
  items.forEach((li, i) => {
    const delay = (items.length - 1 - i) * 350;
    li.animate([{ opacity: 0, transform: 'translateX(-2em)' }, { opacity: 1, transform: 'translateX(0)' }],
      { duration: 500, delay, fill: 'backwards', easing: 'ease-out' });
  });
  setTimeout(() => list.classList.remove('revealing'), items.length * 350 + 600);
}
