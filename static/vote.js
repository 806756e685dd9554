// A contest's public votes on the board page (desktop and phone): each vote's window, how many
// have voted, and, while it is open, the entries in the visitor's own order as plain links (no
// embeds) with a ballot of up to k approvals, or k ranked places; after the close (or live) the
// tallies. Voting takes a signed-in member of the community; the page says what is missing.
import { translate } from './i18n.js';
import { element } from './render.js';

const local = (text, lang) => (text && typeof text === 'object' ? text[lang] || text.en : text || '');

function when(iso, lang) {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export class VoteBox {
  constructor(box, { contest, lang, session }) {
    Object.assign(this, { box, contest, lang, session });
    this.votes = [];     // the answers of GET …/votes/{component}
    this.problem = {};   // component -> the last refusal, translated
  }

  async load(meta) {
    const rules = (meta && meta.rules && meta.rules.components) || [];
    const ids = rules.filter((c) => c.kind === 'votes').map((c) => c.id);
    const base = `/api/contests/${encodeURIComponent(this.contest())}/votes/`;
    const answers = await Promise.all(ids.map((id) => fetch(base + encodeURIComponent(id)).then((r) => (r.ok ? r.json() : null)).catch(() => null)));
    this.votes = answers.filter(Boolean);
    this.draw();
  }

  draw() {
    const lang = this.lang();
    const t = (key, ...args) => translate(lang, key, ...args);
    this.box.hidden = this.votes.length === 0;
    this.box.replaceChildren(...this.votes.map((vote) => this.drawVote(vote, lang, t)));
  }

  drawVote(vote, lang, t) {
    const section = element('article', undefined, { class: 'vote', 'data-vote': vote.component });
    section.append(element('h2', local(vote.name, lang)));
    const phase = vote.state === 'upcoming' ? t('vote.opensAt', when(vote.opens_at, lang))
      : vote.state === 'open' ? t('vote.closesAt', when(vote.closes_at, lang)) : t('vote.closed');
    section.append(element('p', `${phase} · ${t('vote.voted', vote.voted)}`, { class: 'vote-state' }));
    const you = vote.you || {};
    if (vote.tallies) {
      const names = new Map(vote.entries.map((e) => [e.participant, e]));
      const list = element('ol', undefined, { class: 'tallies' });
      for (const tally of vote.tallies) {
        const entry = names.get(tally.participant) || { name: tally.participant, title: '' };
        const li = element('li', undefined, { 'data-participant': tally.participant });
        const who = element('span', undefined, { class: 'entry-who' });
        who.append(element('span', entry.name, { class: 'name' }), ' ', element('span', entry.title, { class: 'entry-title' }));
        li.append(who, element('span', t('vote.votes', tally.votes), { class: 'vote-count' }), element('span', String(tally.points), { class: 'points' }));
        list.append(li);
      }
      section.append(list);
    }
    if (vote.state === 'open') section.append(this.ballot(vote, you, t));
    else if (!vote.tallies && vote.entries.length) section.append(this.entryList(vote));
    if (this.problem[vote.component]) section.append(element('p', this.problem[vote.component], { class: 'problem', role: 'alert' }));
    return section;
  }

  entryList(vote) {
    const list = element('ul', undefined, { class: 'entries' });
    for (const e of vote.entries) list.append(this.entryItem(e));
    return list;
  }

  entryItem(e) {
    const li = element('li', undefined, { class: 'entry', 'data-participant': e.participant });
    const safe = /^https?:\/\//.test(e.url) ? e.url : '#';
    li.append(element('span', e.name, { class: 'name' }),
      element('a', e.title, { class: 'entry-title', href: safe, target: '_blank', rel: 'noopener noreferrer' }));
    return li;
  }

  // The ballot: a box per entry (a place per entry when ranked), the visitor's ballot checked.
  ballot(vote, you, t) {
    const form = element('form', undefined, { class: 'ballot' });
    if (!you.signed_in || !you.member) {
      form.append(element('p', t(you.signed_in ? 'vote.joinFirst' : 'vote.signInFirst'), { class: 'vote-who' }),
        element('a', t(you.signed_in ? 'vote.join' : 'vote.signIn'), { href: '/join.html', class: 'vote-join' }));
      form.append(this.entryList(vote));
      return form;
    }
    if (you.voided) {
      form.append(element('p', t('vote.voided'), { class: 'vote-who' }), this.entryList(vote));
      return form;
    }
    const mine = you.ballot || [];
    form.append(element('p', mine.length ? t('vote.youVoted') : t(vote.ballot === 'ranked' ? 'vote.pickRanked' : 'vote.pick', vote.k), { class: 'vote-who' }));
    const list = element('ul', undefined, { class: 'entries' });
    for (const e of vote.entries) {
      const li = this.entryItem(e);
      if (e.participant === you.own_entry) {
        li.append(element('span', t('vote.yours'), { class: 'own' }));
      } else if (vote.ballot === 'ranked') {
        const select = element('select', undefined, { name: e.participant, 'aria-label': e.name });
        select.append(element('option', '–', { value: '' }));
        for (let place = 1; place <= vote.k; place += 1) select.append(element('option', t('vote.place', place), { value: String(place) }));
        const at = mine.indexOf(e.participant);
        if (at >= 0) select.value = String(at + 1);
        li.append(select);
      } else {
        const box = element('input', undefined, { type: 'checkbox', name: e.participant, 'aria-label': e.name });
        box.checked = mine.includes(e.participant);
        li.append(box);
      }
      list.append(li);
    }
    form.append(list, element('button', t(mine.length ? 'vote.change' : 'vote.cast'), { type: 'submit' }));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.cast(vote, form); });
    return form;
  }

  async cast(vote, form) {
    let entries;
    if (vote.ballot === 'ranked') {
      entries = [...form.querySelectorAll('select')].filter((s) => s.value).sort((a, b) => a.value - b.value).map((s) => s.name);
    } else {
      entries = [...form.querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => b.name);
    }
    const response = await fetch(`/api/contests/${encodeURIComponent(this.contest())}/votes/${encodeURIComponent(vote.component)}/ballot`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entries }),
    }).catch(() => null);
    const answer = response ? await response.json().catch(() => ({})) : {};
    const lang = this.lang();
    const known = translate(lang, `vote.${answer.error}`) !== `vote.${answer.error}` ? translate(lang, `vote.${answer.error}`, vote.k) : '';
    this.problem[vote.component] = response && response.ok ? '' : known || translate(lang, 'vote.failed');
    const fresh = await fetch(`/api/contests/${encodeURIComponent(this.contest())}/votes/${encodeURIComponent(vote.component)}`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    if (fresh) this.votes = this.votes.map((v) => (v.component === vote.component ? fresh : v));
    this.draw();
  }
}
