// Drawing the board, the ticker and the chart. Every name, title and label
// goes in through textContent or an SVG text node: never as HTML.
import { translate } from './i18n.js';
import { isLong } from './fit.js';

export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

export function rowName(row, lang) {
  return lang === 'zh' && row.name_zh ? row.name_zh : row.name;
}

// One row of a board: rank, rank change, name with chapter chips, the kind's cells, points.
// ctx: { lang, teams (Map id -> team), columns, cells (id -> cells), reveal(row) -> mark }.
export function buildRow(li) {
  li.append(element('span', '', { class: 'rank' }), element('span', '', { class: 'change' }),
    element('span', '', { class: 'who' }), element('span', '', { class: 'cells' }), element('span', '', { class: 'points' }));
}

function chips(row, ctx) {
  const out = [];
  for (const kind of ['city', 'school', 'company']) {
    const team = row.teams && ctx.teams.get(row.teams[kind]);
    if (!team) continue;
    const label = team.name[ctx.lang] || team.name.en;
    const chip = element('span', label, { class: `chip ${kind}${isLong(label) ? ' long' : ''}` });
    if (team.branding && team.branding.color) chip.style.borderColor = team.branding.color;
    out.push(chip);
  }
  return out;
}

function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

// Only what changed is touched: a row that only moved gets a new rank and nothing else, so a
// 1,000-row board where one row jumps a hundred places stays within a frame.
export function fillRow(li, row, old, ctx) {
  const [rank, change, who, cells, points] = li.children;
  const mark = ctx.reveal ? ctx.reveal(row) : null;
  li.classList.toggle('hidden-row', mark === 'hidden');
  li.classList.toggle('just-revealed', mark === 'just');
  li.classList.toggle('mine', Boolean(ctx.me) && ctx.me === row.id);
  setText(rank, row.rank);
  if (old && old.rank !== row.rank) li.dataset.change = String(old.rank - row.rank);
  const moved = Number(li.dataset.change || 0);
  setText(change, mark === 'hidden' ? '' : moved > 0 ? `▲${moved}` : moved < 0 ? `▼${-moved}` : '');
  const changeClass = `change ${moved > 0 ? 'up' : moved < 0 ? 'down' : ''}`;
  if (change.className !== changeClass) change.className = changeClass;
  const teams = row.teams || {};
  const placing = mark === 'hidden' || !ctx.placing ? '' : ctx.placing(row);
  const whoKey = `${mark === 'hidden'}|${ctx.lang}|${rowName(row, ctx.lang)}|${teams.city}|${teams.school}|${teams.company}|${placing}`;
  if (li.whoKey !== whoKey) {
    li.whoKey = whoKey;
    if (mark === 'hidden') who.replaceChildren(element('span', translate(ctx.lang, 'hidden'), { class: 'name' }));
    else {
      const name = element('span', rowName(row, ctx.lang), { class: 'name' });
      const team = row.kind ? ctx.teams.get(row.id) : null;
      if (team && team.branding && team.branding.logo) who.replaceChildren(element('img', undefined, { class: 'logo', src: team.branding.logo, alt: '' }), name);
      else {
        const box = element('span', undefined, { class: 'chips' });
        if (placing) box.append(element('span', placing, { class: `chip placing${isLong(placing) ? ' long' : ''}` }));
        box.append(...chips(row, ctx));
        who.replaceChildren(name, box);
      }
    }
  }
  const values = mark === 'hidden' ? null : ctx.cells[row.id];
  if (li.cellsDrawn !== values || li.cellsCtx !== ctx.columnsKey) {
    li.cellsDrawn = values;
    li.cellsCtx = ctx.columnsKey;
    cells.replaceChildren(...(mark === 'hidden' ? [] : ctx.columns.map((column, i) => {
      const cell = column.cell(values, ctx.lang);
      const span = element('span', cell.text, { class: `cell ${column.kind} ${cell.cls || ''}`.trim() });
      span.style.gridColumn = `${i + 1} cell`;  // by the CSSOM: the page's CSP refuses style attributes
      if (cell.title) span.title = cell.title;
      return span;
    })));
  }
  setText(points, mark === 'hidden' ? '' : row.points);
}

// The column headings above the rows, on the same grid.
export function renderHeading(box, columns, ctx, pointsText) {
  box.replaceChildren(element('span', '#', { class: 'rank' }), element('span', '', { class: 'change' }),
    element('span', '', { class: 'who' }),
    element('span', undefined, { class: 'cells' }), element('span', pointsText, { class: 'points' }));
  box.children[3].append(...columns.map((c, i) => {
    const label = element('span', c.label(ctx.lang), { class: `cell ${c.kind}` });
    label.style.gridColumn = `${i + 1} cell`;
    return label;
  }));
}

// "L2 Contributor": the level a level_up event names.
export function levelText(event, lang) {
  const name = event.level && ((lang === 'zh' && event.level.name_zh) || event.level.name);
  return event.level ? [event.level.id, name].filter(Boolean).join(' ') : '';
}

// "上海 +10 · fix: … #123 merged by alice"; a reproduction or first bonus names its model, and a
// judged score its component, in the page's language (names), not the server's English reason.
const byId = { model: (id) => id, component: (id) => id };
export function eventLine(event, lang, names = byId) {
  const team = event.team ? (lang === 'zh' ? event.team.name_zh : event.team.name) : '';
  const who = event.participant_name || event.participant || event.unattributed_login || '';
  if (event.source === 'level_up') return `⬆ ${translate(lang, 'levelUp', who, levelText(event, lang))}`;
  const sign = event.delta >= 0 ? '+' : '';
  const head = [team, `${sign}${event.delta}`].filter(Boolean).join(' ');
  const reproduced = (event.source === 'reproduction' || event.source === 'first_bonus') && event.model && Number(event.delta) > 0;
  // A judged score without an organizer's own reason carries the server's "judged <component>".
  const judged = event.source === 'component' && event.component && event.title === `judged ${event.component}`;
  // Homework and a vote name their component: the config's name, not a hand-in's id or an entry's title.
  const homework = (event.source === 'homework' || event.source === 'vote') && event.component;
  const what = event.number ? `${event.title} #${event.number}`
    : reproduced ? `${translate(lang, event.source)} ${names.model(event.model)}`
      : judged ? `${translate(lang, 'component')} ${names.component(event.component)}`
        : homework ? names.component(event.component) : event.title;
  const credit = who ? translate(lang, event.number ? 'merged' : 'earnedBy', who) : '';
  return `${head} · ${what} ${credit}`.trim();
}

export function renderTicker(container, events, lang, names) {
  const items = events.slice(-12).reverse().map((event) => {
    const line = element(event.url ? 'a' : 'span', eventLine(event, lang, names), { class: 'event' });
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
    const title = award.details && award.details.title;
    const label = title ? (award.details.number ? `${title} #${award.details.number}` : title) : award.subject;
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
