// The live leaderboard page. Until the WebSocket gateway lands it polls the
// standings API. Every name and title is inserted as text, never as HTML.
"use strict";

const texts = {
  en: { rank: "#", name: "Name", points: "Points", empty: "No points yet.", live: "live", frozen: "frozen",
        error: "reconnecting", participants: "Individuals", teams: "All teams", "teams:city": "Cities",
        "teams:school": "Schools", "teams:company": "Companies", other: "中文" },
  zh: { rank: "名次", name: "名称", points: "积分", empty: "暂无积分。", live: "实时", frozen: "已封榜",
        error: "重新连接中", participants: "个人", teams: "全部团队", "teams:city": "城市",
        "teams:school": "高校", "teams:company": "企业", other: "English" },
};

const state = {
  lang: (new URLSearchParams(location.search).get("lang") || navigator.language || "en").startsWith("zh") ? "zh" : "en",
  contests: [], contest: null, board: "participants", timer: null,
};

function t(key) { return texts[state.lang][key] || key.replace(/^component:/, ""); }

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function renderChrome() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.getElementById("lang").textContent = t("other");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const contest = state.contests.find((c) => c.id === state.contest);
  if (!contest) return;
  document.getElementById("title").textContent = contest.title[state.lang] || contest.title.en;
  const tabs = document.getElementById("tabs");
  tabs.replaceChildren(...contest.boards.map((board) => {
    const button = element("button", t(board), { type: "button", "aria-selected": String(board === state.board) });
    button.addEventListener("click", () => { state.board = board; renderChrome(); refresh(); });
    return button;
  }));
}

function renderRows(page) {
  const rows = page.rows.map((row) => {
    const tr = element("tr");
    const name = state.lang === "zh" && row.name_zh ? row.name_zh : row.name;
    tr.append(element("td", row.rank), element("td", name), element("td", row.points));
    return tr;
  });
  document.getElementById("rows").replaceChildren(...rows);
  document.getElementById("empty").hidden = rows.length > 0;
  const status = document.getElementById("status");
  status.textContent = t(page.frozen ? "frozen" : "live");
  status.className = "status " + (page.frozen ? "frozen" : "live");
}

async function refresh() {
  if (!state.contest) return;
  const url = `/api/contests/${encodeURIComponent(state.contest)}/standings?board=${encodeURIComponent(state.board)}&limit=100`;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    renderRows(await response.json());
  } catch (error) {
    const status = document.getElementById("status");
    status.textContent = t("error");
    status.className = "status error";
  }
}

async function start() {
  const response = await fetch("/api/contests");
  state.contests = (await response.json()).contests;
  const select = document.getElementById("contest");
  select.replaceChildren(...state.contests.map((c) => element("option", c.title[state.lang] || c.title.en, { value: c.id })));
  state.contest = new URLSearchParams(location.search).get("contest") || (state.contests[0] || {}).id;
  select.value = state.contest;
  select.addEventListener("change", () => { state.contest = select.value; state.board = "participants"; renderChrome(); refresh(); });
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    renderChrome();
    refresh();
  });
  renderChrome();
  await refresh();
  state.timer = setInterval(refresh, 3000);
}

start();
