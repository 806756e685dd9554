// A certificate, printable on one A4 page: the contest (with its branding), the participant's
// name and community number, the placing, the date, and a QR code of this page's own address
// with the hash the final export lists for it. Texts in English and Chinese (?lang=).
import { pickLanguage } from './i18n.js';

const texts = {
  en: { kicker: 'Certificate', awarded: 'is awarded to', reached: 'reached the level', reachedOn: (d) => `Reached on ${d}`, member: (id) => `Community number ${id}`, rank: (n) => `Final rank #${n}`,
    date: (d) => `Awarded on ${d}`, revision: (n) => `Revision ${n}`, verify: 'Scan to verify this certificate', print: 'Print', other: '中文',
    missing: 'No certificate has this address.' },
  zh: { kicker: '荣誉证书', awarded: '授予', reached: '达成社区等级', reachedOn: (d) => `达成日期：${d}`, member: (id) => `社区编号 ${id}`, rank: (n) => `最终排名第 ${n} 名`,
    date: (d) => `颁发日期：${d}`, revision: (n) => `第 ${n} 版`, verify: '扫码验证本证书', print: '打印', other: 'English',
    missing: '没有这个地址的证书。' },
};
let lang = pickLanguage(location.search, navigator.language);
let record = null;
const $ = (id) => document.getElementById(id);
const local = (text) => (text && (text[lang] || text.en)) || '';

function draw() {
  const t = texts[lang];
  document.documentElement.lang = lang;
  $('lang').textContent = t.other;
  $('print').textContent = t.print;
  if (!record) {
    $('missing').textContent = t.missing;
    return;
  }
  document.title = `${local(record.title)} · ${record.name}`;
  $('kicker').textContent = t.kicker;
  $('contest').textContent = local(record.contest_title);
  // A placing is awarded to someone; a level is something they reached.
  const level = record.kind === 'level';
  $('awarded').textContent = level ? '' : t.awarded;
  $('name').textContent = record.name;
  $('member').textContent = record.community_id ? t.member(record.community_id) : '';
  $('title').textContent = level ? `${t.reached} ${local(record.title)}` : local(record.title);
  $('rank').textContent = level ? '' : t.rank(record.rank);
  const day = new Date(record.ended_at * 1000).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric' });
  $('date').textContent = level ? t.reachedOn(day) : t.date(day);
  $('revision').textContent = record.revision > 1 ? t.revision(record.revision) : '';
  $('verify').textContent = t.verify;
  $('hash').textContent = record.hash;
}

async function start() {
  const id = location.pathname.split('/').pop();
  const response = await fetch(`/api/certificates/${encodeURIComponent(id)}`).catch(() => null);
  record = response && response.ok ? await response.json() : null;
  $('missing').hidden = Boolean(record);
  $('sheet').hidden = !record;
  if (record) {
    if (record.branding && /^#[0-9a-fA-F]{6}$/.test(record.branding.color || '')) document.documentElement.style.setProperty('--brand', record.branding.color);
    if (record.branding && record.branding.logo) { $('logo').src = record.branding.logo; $('logo').hidden = false; }
    $('qr').src = `/api/certificates/${encodeURIComponent(id)}/qr.svg?origin=${encodeURIComponent(location.origin)}`;
  }
  draw();
  document.body.dataset.ready = '1';
}

$('lang').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; draw(); });
$('print').addEventListener('click', () => print());
start();
