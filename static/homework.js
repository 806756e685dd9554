// A signed-in participant's homework on the board page: every assignment with its due time,
// what they handed in (a link and a note), its score and the judge's comment; an open
// assignment takes a link and a note, again until a judge scores it. Names come from the config.
import { translate } from './i18n.js';
import { element } from './render.js';

const local = (text, lang) => (text && typeof text === 'object' ? text[lang] || text.en : text || '');

function when(iso, lang) {
  const d = new Date(iso);
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export class HomeworkBox {
  constructor(box, { contest, lang }) {
    Object.assign(this, { box, contest, lang });
    this.assignments = [];
    this.problem = {};  // assignment key -> the last refusal's message
  }

  async load() {
    const response = await fetch(`/api/contests/${encodeURIComponent(this.contest())}/homework/mine`).catch(() => null);
    this.assignments = response && response.ok ? (await response.json()).assignments : [];
    this.draw();
  }

  clear() {
    this.assignments = [];
    this.draw();
  }

  draw() {
    const lang = this.lang();
    const t = (key, ...args) => translate(lang, key, ...args);
    this.box.hidden = this.assignments.length === 0;
    const items = this.assignments.map((a) => {
      const key = `${a.component}:${a.assignment}`;
      const li = element('li', undefined, { class: 'assignment', 'data-assignment': key });
      li.append(element('span', `${local(a.component_name, lang)} · ${local(a.name, lang)}`, { class: 'title' }),
        element('span', t('dueAt', when(a.due_at, lang)), { class: 'due' }));
      const done = a.handed_in;
      if (done) {
        const link = element('a', done.url, { class: 'link', href: /^https?:\/\//.test(done.url) ? done.url : '#', target: '_blank', rel: 'noopener' });
        li.append(element('span', t(done.late ? 'handedInLate' : 'handedIn'), { class: 'state' }), link);
        if (done.note) li.append(element('span', done.note, { class: 'note' }));
        if (done.score !== undefined) {
          li.append(element('span', t('scored', done.score, a.max), { class: 'score' }));
          if (done.comment) li.append(element('span', done.comment, { class: 'comment' }));
        }
      }
      const now = Date.now();
      const open = Date.parse(a.opens_at) <= now && (!done || done.score === undefined);
      if (open) li.append(this.form(a, key, t));
      else if (Date.parse(a.opens_at) > now) li.append(element('span', t('opensAt', when(a.opens_at, lang)), { class: 'state' }));
      if (this.problem[key]) li.append(element('span', this.problem[key], { class: 'problem', role: 'alert' }));
      return li;
    });
    this.box.replaceChildren(element('h2', t('myHomework')), element('ul', undefined, { class: 'assignments' }));
    this.box.lastChild.append(...items);
  }

  form(a, key, t) {
    const form = element('form', undefined, { class: 'hand-in' });
    const url = element('input', undefined, { name: 'url', type: 'url', required: '', maxlength: '500', placeholder: 'https://…', 'aria-label': t('link') });
    const note = element('input', undefined, { name: 'note', maxlength: '500', placeholder: t('note'), 'aria-label': t('note') });
    if (a.handed_in) { url.value = a.handed_in.url; note.value = a.handed_in.note || ''; }
    form.append(url, note, element('button', t(a.handed_in ? 'handInAgain' : 'handIn'), { type: 'submit' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const response = await fetch(`/api/contests/${encodeURIComponent(this.contest())}/homework`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ component: a.component, assignment: a.assignment, url: url.value.trim(), note: note.value.trim() }),
      }).catch(() => null);
      const answer = response ? await response.json().catch(() => ({})) : {};
      const known = (code) => (translate(this.lang(), `homework.${code}`) !== `homework.${code}` ? t(`homework.${code}`) : '');
      this.problem[key] = response && response.ok ? '' : known(answer.error) || t('homework.failed');
      await this.load();
    });
    return form;
  }
}
