// Interface texts in English and Chinese; names and titles come from the data as they are.
export const texts = {
  en: {
    empty: 'No points yet.', live: 'Live', reconnecting: 'Reconnecting…', frozen: 'Frozen', connecting: 'Connecting…',
    participants: 'Individuals', teams: 'All teams', 'teams:city': 'Cities', 'teams:school': 'Schools',
    'teams:company': 'Companies', 'component:pull_requests': 'Pull requests', 'component:reproductions': 'Reproductions',
    other: '中文', points: 'pts', freezeIn: 'Freeze in', endsIn: 'Ends in', ended: 'Ended', frozenSince: 'Board frozen',
    you: 'You', rank: (n) => `#${n.toLocaleString('en')}`, merged: (who) => `merged by ${who}`, earnedBy: (who) => `· ${who}`, history: 'Points over time',
    notRanked: 'not ranked yet', pull_request: 'PR', reproduction: 'Reproduction', first_bonus: 'First reproduction',
    component: 'Judged', homework: 'Homework', vote: 'Public vote', adjustment: 'Adjustment', disqualified: 'Disqualified', revealing: 'Final standings',
    followOnPhone: 'Follow on your phone',
    prs: 'PRs', total: 'Total', weightedTotal: 'Weighted total', pending: 'pending', first: 'first',
    members: (n) => `${n} ${n === 1 ? 'member' : 'members'}`, newRow: 'new', clock: 'Time',
    frozenBanner: 'The board is frozen: the final standings will be revealed on stage.',
    momentFirst: (who, model) => `First reproduction of ${model}: ${who}`, momentLead: (team) => `${team} takes the lead`,
    momentTop3: (who, rank) => `${who} enters the top 3 (#${rank})`, momentMilestone: (n) => `${n.toLocaleString('en')} merged pull requests`,
    levelUp: (who, level) => `${who} reached ${level}`, momentLevel: (who, level) => `${who} reached ${level}!`,
    revealOn: 'Final standings: revealing', hidden: '???', presenter: 'Presenter', revealStart: 'Start reveal',
    revealNext: 'Next', revealAuto: 'Auto', revealPause: 'Pause', revealStop: 'End', presenterToken: 'Admin token to present:',
    signedInAs: 'Signed in as', signOut: 'Sign out',
    myHomework: 'My homework', dueAt: (at) => `due ${at}`, opensAt: (at) => `opens ${at}`, handedIn: 'Handed in', handedInLate: 'Handed in late',
    scored: (score, max) => `Scored ${score} / ${max}`, handIn: 'Hand in', handInAgain: 'Hand in again', link: 'Link', note: 'Note (optional)',
    'homework.bad_field': 'Give a link starting with http:// or https:// (at most 500 characters) and a note of at most 500.',
    'homework.past_due': 'This assignment is past its due time.', 'homework.not_open': 'This assignment is not open yet.',
    'homework.already_scored': 'A judge has scored this; it can no longer be replaced.', 'homework.contest_closed': 'The contest is over.',
    'homework.too_many_requests': 'Too many at once; try again in a minute.', 'homework.failed': 'Could not hand it in; try again.',
    'vote.opensAt': (at) => `Voting opens ${at}`, 'vote.closesAt': (at) => `Voting closes ${at}`, 'vote.closed': 'Voting closed',
    'vote.voted': (n) => `${n.toLocaleString('en')} ${n === 1 ? 'has' : 'have'} voted`, 'vote.votes': (n) => `${n} ${n === 1 ? 'vote' : 'votes'}`,
    'vote.signInFirst': 'Members of the community vote: sign in with your code host.', 'vote.signIn': 'Sign in',
    'vote.joinFirst': 'Only members vote: join the community first.', 'vote.join': 'Join',
    'vote.voided': 'An organizer voided your ballot.', 'vote.youVoted': 'You voted. You may change your ballot until the vote closes.',
    'vote.pick': (k) => (k === 1 ? 'Pick the one you like best.' : `Pick up to ${k}.`), 'vote.pickRanked': (k) => `Rank up to ${k}: first place is worth the most.`,
    'vote.yours': 'your entry', 'vote.place': (n) => `#${n}`, 'vote.cast': 'Vote', 'vote.change': 'Change my vote',
    'vote.bad_field': (k) => `Pick 1 to ${k} entries, each once.`, 'vote.own_entry': 'You cannot vote for your own entry.',
    'vote.not_open': 'Voting has not opened yet.', 'vote.vote_closed': 'Voting has closed.', 'vote.ballot_voided': 'An organizer voided your ballot.',
    'vote.not_a_member': 'Only members vote: join the community first.', 'vote.joined_too_late': 'This vote is for members who joined before it opened.',
    'vote.unauthorized': 'Sign in again to vote.', 'vote.too_many_requests': 'Too many at once; try again in a minute.', 'vote.failed': 'Could not cast the ballot; try again.',
    find: 'Find yourself', findPlaceholder: 'name or login', pin: 'Pin', unpin: 'Unpin', share: 'Share', copied: 'Link copied',
    myAwards: 'My awards', more: 'Show more', noMatch: 'No one by that name or login.',
  },
  zh: {
    empty: '暂无积分。', live: '实时', reconnecting: '正在重连…', frozen: '已封榜', connecting: '连接中…',
    participants: '个人', teams: '全部团队', 'teams:city': '城市', 'teams:school': '高校', 'teams:company': '企业',
    'component:pull_requests': '合并请求', 'component:reproductions': '模型复现',
    other: 'English', points: '分', freezeIn: '距封榜', endsIn: '距结束', ended: '已结束', frozenSince: '榜单已冻结',
    you: '我', rank: (n) => `第 ${n.toLocaleString('zh-CN')} 名`, merged: (who) => `由 ${who} 合并`, earnedBy: (who) => `· ${who}`, history: '积分走势',
    notRanked: '尚未上榜', pull_request: '合并请求', reproduction: '模型复现', first_bonus: '首个复现', component: '评审', homework: '作业', vote: '大众投票',
    adjustment: '调整', disqualified: '已取消资格', revealing: '最终排名揭晓', followOnPhone: '用手机关注',
    prs: '合并数', total: '总分', weightedTotal: '加权总分', pending: '待审', first: '首个',
    members: (n) => `${n} 人`, newRow: '新', clock: '时间',
    frozenBanner: '榜单已冻结：最终排名将在颁奖现场揭晓。',
    momentFirst: (who, model) => `${model} 首个复现：${who}`, momentLead: (team) => `${team} 升至第一`,
    momentTop3: (who, rank) => `${who} 进入前三（第 ${rank} 名）`, momentMilestone: (n) => `已合并 ${n.toLocaleString('zh-CN')} 个 PR`,
    levelUp: (who, level) => `${who} 升级为 ${level}`, momentLevel: (who, level) => `${who} 升级为 ${level}！`,
    revealOn: '最终排名揭晓中', hidden: '？？？', presenter: '主持', revealStart: '开始揭晓',
    revealNext: '下一名', revealAuto: '自动', revealPause: '暂停', revealStop: '结束', presenterToken: '主持需要管理员令牌：',
    signedInAs: '已登录', signOut: '退出登录',
    myHomework: '我的作业', dueAt: (at) => `截止 ${at}`, opensAt: (at) => `${at} 开放`, handedIn: '已提交', handedInLate: '已提交（逾期）',
    scored: (score, max) => `得分 ${score} / ${max}`, handIn: '提交', handInAgain: '重新提交', link: '链接', note: '说明（可选）',
    'homework.bad_field': '请填写以 http:// 或 https:// 开头的链接（最多 500 字符），说明最多 500 字。',
    'homework.past_due': '这项作业已过截止时间。', 'homework.not_open': '这项作业还未开放。',
    'homework.already_scored': '评委已评分，不能再替换。', 'homework.contest_closed': '比赛已结束。',
    'homework.too_many_requests': '提交太频繁，请一分钟后再试。', 'homework.failed': '提交失败，请重试。',
    'vote.opensAt': (at) => `${at} 开始投票`, 'vote.closesAt': (at) => `${at} 截止投票`, 'vote.closed': '投票已结束',
    'vote.voted': (n) => `已有 ${n.toLocaleString('zh-CN')} 人投票`, 'vote.votes': (n) => `${n} 票`,
    'vote.signInFirst': '社区成员才能投票：请用代码托管平台账号登录。', 'vote.signIn': '登录',
    'vote.joinFirst': '只有社区成员才能投票：请先加入社区。', 'vote.join': '加入',
    'vote.voided': '你的选票已被组织者作废。', 'vote.youVoted': '你已投票。投票截止前可以修改。',
    'vote.pick': (k) => (k === 1 ? '选出你最喜欢的一个。' : `最多选 ${k} 个。`), 'vote.pickRanked': (k) => `最多排出 ${k} 名：第一名得分最高。`,
    'vote.yours': '你的作品', 'vote.place': (n) => `第 ${n} 名`, 'vote.cast': '投票', 'vote.change': '修改投票',
    'vote.bad_field': (k) => `请选择 1 到 ${k} 个作品，每个只能选一次。`, 'vote.own_entry': '不能给自己的作品投票。',
    'vote.not_open': '投票尚未开始。', 'vote.vote_closed': '投票已结束。', 'vote.ballot_voided': '你的选票已被组织者作废。',
    'vote.not_a_member': '只有社区成员才能投票：请先加入社区。', 'vote.joined_too_late': '本次投票仅限投票开始前加入的成员。',
    'vote.unauthorized': '请重新登录后投票。', 'vote.too_many_requests': '操作太频繁，请一分钟后再试。', 'vote.failed': '投票失败，请重试。',
    find: '找到我', findPlaceholder: '姓名或账号', pin: '置顶', unpin: '取消置顶', share: '分享', copied: '链接已复制',
    myAwards: '我的得分', more: '显示更多', noMatch: '没有找到这个姓名或账号。',
  },
};

export function pickLanguage(search, navigatorLanguage) {
  const asked = new URLSearchParams(search).get('lang');
  const wanted = asked || navigatorLanguage || 'en';
  return wanted.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function translate(lang, key, ...args) {
  const entry = texts[lang][key] ?? texts.en[key];
  if (typeof entry === 'function') return entry(...args);
  return entry ?? key.replace(/^component:/, '');
}

export function duration(lang, seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = Math.floor(seconds) % 60;
  const pad = (x) => String(x).padStart(2, '0');
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
  if (d === 0) return clock;
  return lang === 'zh' ? `${d} 天 ${clock}` : `${d}d ${clock}`;
}
