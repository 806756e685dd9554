// The phone view: a person finds themselves by name or login, pins their row and shares it.
import { translate } from './i18n.js';
import { element } from './render.js';

export class Finder {
  constructor(box, { contest, lang, teamName, onPick }) {
    Object.assign(this, { box, contest, lang, teamName, onPick });
    this.input = box.querySelector('input');
    this.list = box.querySelector('ul');
    this.timer = null;
    box.hidden = false;
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), 250);
    });
  }

  async search() {
    const q = this.input.value.trim();
    this.input.placeholder = translate(this.lang(), 'findPlaceholder');
    if (!q) return this.list.replaceChildren();
    const response = await fetch(`/api/contests/${encodeURIComponent(this.contest())}/find?q=${encodeURIComponent(q)}`);
    if (!response.ok) return;
    const { participants } = await response.json();
    if (participants.length === 0) return this.list.replaceChildren(element('li', translate(this.lang(), 'noMatch'), { class: 'none' }));
    this.list.replaceChildren(...participants.map((p) => {
      const button = element('button', undefined, { type: 'button', 'data-id': p.id });
      button.append(element('span', p.name, { class: 'name' }),
        ...p.teams.map((team) => element('span', this.teamName(team), { class: 'chip' })),
        element('span', translate(this.lang(), 'pin'), { class: 'pin' }));
      button.addEventListener('click', () => {
        this.list.replaceChildren();
        this.input.value = '';
        this.onPick(p.id);
      });
      return element('li').appendChild(button).parentNode;
    }));
  }
}

// Shares the link to a pinned row: the system's share sheet, else the clipboard; the link
// stays on show either way, to copy by hand.
export async function shareLink(url, box, copiedText) {
  box.textContent = url;
  box.hidden = false;
  try {
    if (navigator.share) await navigator.share({ url, title: document.title });
    else { await navigator.clipboard.writeText(url); box.textContent = `${copiedText}: ${url}`; }
  } catch { /* not shared: the link is there */ }
}
