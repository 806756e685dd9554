// The page's pure parts without a browser: which award events and board changes make a
// moment, and which rows a stage reveal hides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstReproductions, leadChange, milestonesCrossed, newMergedPrs, topThreeEntries } from '../../static/moments.js';
import { revealMark } from '../../static/reveal.js';
import { boardTemplate, fitSteps, isLong } from '../../static/fit.js';
import { boardLabel } from '../../static/columns.js';
import { eventLine } from '../../static/render.js';

const row = (id, rank, points) => ({ id, rank, points });

test('a chapter takes the lead only when the top changes hands, not on a tie or from nothing', () => {
  assert.deepEqual(leadChange([row('bj', 1, 10), row('sh', 2, 8)], [row('sh', 1, 12), row('bj', 2, 10)]), { type: 'lead', id: 'sh' });
  assert.equal(leadChange([row('bj', 1, 10)], [row('bj', 1, 20)]), null);
  assert.equal(leadChange([row('bj', 1, 10), row('sh', 2, 8)], [row('sh', 1, 10), row('bj', 1, 10)]), null);
  assert.equal(leadChange([], [row('sh', 1, 3)]), null);
});

test('entering the top 3 is from below it or from off the board, once', () => {
  const before = [row('a', 1, 30), row('b', 2, 20), row('c', 3, 10), row('d', 4, 5)];
  assert.deepEqual(topThreeEntries(before, [row('a', 1, 30), row('d', 2, 25), row('b', 3, 20), row('c', 4, 10)]), [{ type: 'top3', id: 'd', rank: 2 }]);
  assert.deepEqual(topThreeEntries(before, [row('a', 1, 40), row('b', 2, 20), row('c', 3, 10)]), []);
  assert.deepEqual(topThreeEntries(before, [row('e', 1, 50), ...before.slice(0, 2).map((r) => ({ ...r, rank: r.rank + 1 }))]), [{ type: 'top3', id: 'e', rank: 1 }]);
  assert.deepEqual(topThreeEntries([], [row('a', 1, 3)]), []);  // a first snapshot is not a moment
});

test('first reproductions and new merged PRs are read from award events', () => {
  const events = [
    { source: 'first_bonus', delta: 50, points: 50, participant: 'ann', participant_name: 'Ann', model: 'resnet' },
    { source: 'first_bonus', delta: -50, points: 0, participant: 'ann', model: 'resnet' },  // a bonus taken back
    { source: 'github', repo: 'o/r', number: 1, delta: 11, points: 11 }, { source: 'gitee', repo: 'o/r', number: 2, delta: 1, points: 1 },
    { source: 'gitcode', repo: 'o/r', number: 3, delta: 11, points: 11 }, { source: 'gitlab', repo: 'g/s/p', number: 4, delta: 3, points: 3 },
    { source: 'github', repo: 'o/r', number: 1, delta: 9, points: 11 },  // a relabel of a PR already counted
    { source: 'github', repo: 'o/r', number: 5, delta: 0, points: 0 },   // excluded
    { source: 'component', repo: '', number: 0, delta: 5, points: 5 },   // a judged score is no merge
  ];
  assert.deepEqual(firstReproductions(events), [{ type: 'first', model: 'resnet', participant: 'ann', name: 'Ann' }]);
  assert.equal(newMergedPrs(events), 4);
});

test('milestones are crossed once each, several in one jump', () => {
  assert.deepEqual(milestonesCrossed(99, 100), [{ type: 'milestone', count: 100 }]);
  assert.deepEqual(milestonesCrossed(100, 101), []);
  assert.deepEqual(milestonesCrossed(8, 60).map((m) => m.count), [10, 25, 50]);
});

test('a reveal hides the top rows of its board and marks the one uncovered last', () => {
  const state = { active: true, board: 'participants', rows: 5, step: 2 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((rank) => revealMark({ rank }, state, 'participants')), ['hidden', 'hidden', 'hidden', 'just', null, null]);
  assert.equal(revealMark({ rank: 1 }, state, 'teams:city'), null);
  assert.equal(revealMark({ rank: 1 }, { ...state, active: false }, 'participants'), null);
  assert.equal(revealMark({ rank: 5 }, { ...state, step: 0 }, 'participants'), 'hidden');
  assert.equal(revealMark({ rank: 1 }, { ...state, step: 5 }, 'participants'), 'just');
});

test('the board gives way in order, the type last, and a phone starts stacked', () => {
  const steps = fitSteps(false);
  assert.deepEqual(steps.slice(0, 4), [{}, { noChange: true }, { noChange: true, shortHeads: true }, { noChange: true, shortHeads: true, stacked: true }]);
  const scales = steps.slice(4).map((s) => s.scale);
  assert.deepEqual(scales, [...scales].sort((a, b) => b - a));
  assert.ok(scales.every((scale) => scale < 1 && scale >= 0.5));
  assert.ok(fitSteps(true).every((s) => s.stacked && s.noChange));
  assert.equal(fitSteps(true).length, steps.length - 3);
});

test('the board template names its lines: a hidden rank change takes no track, each cell has its own', () => {
  assert.equal(boardTemplate(0, true), '[rank] max-content [change] max-content [who] minmax(0, 1fr) [points] max-content');
  assert.equal(boardTemplate(3, false), '[rank] max-content [change who] minmax(0, 1fr) repeat(3, [cell] max-content) [points] max-content');
  assert.equal(isLong('上海交通大学闵行校区'), false);
  assert.equal(isLong('Huazhong Univ. of Science and Technology'), true);
  assert.equal(isLong('x'.repeat(20)), false);
  assert.equal(isLong('x'.repeat(21)), true);
});

test('a judged score and a judged board are named by the config in the page language, never by their ids', () => {
  const contest = { rules: { components: [{ id: 'project', name: { en: 'Final project', zh: '结业项目' }, weight: 0.5 }] } };
  const zhNames = { model: (id) => id, component: (id) => (id === 'project' ? '结业项目' : id) };
  const judged = { source: 'component', component: 'project', title: 'judged project', delta: 66, points: 66, participant_name: '迪丽',
    team: { name: 'Beijing', name_zh: '北京' } };
  assert.equal(eventLine(judged, 'zh', zhNames), '北京 +66 · 评审 结业项目 · 迪丽');
  // A scored hand-in: the component's own name, said once (not "Homework Homework").
  const homework = { ...judged, source: 'homework', component: 'homework', title: 'homework w1' };
  assert.equal(eventLine(homework, 'en', { model: (id) => id, component: () => 'Homework' }), 'Beijing +66 · Homework · 迪丽');
  const vote = { ...judged, source: 'vote', component: 'notes', title: 'My 21 days' };  // a vote names its component, not the entry
  assert.equal(eventLine(vote, 'zh', { model: (id) => id, component: () => '学习笔记' }), '北京 +66 · 学习笔记 · 迪丽');
  assert.match(eventLine({ ...judged, title: 'week 3, with the demo' }, 'zh', zhNames), /week 3, with the demo/);  // an organizer's own reason stays
  assert.equal(boardLabel(contest, 'component:project', 'zh'), '结业项目');
  assert.equal(boardLabel(contest, 'component:project', 'en'), 'Final project');
  assert.equal(boardLabel(contest, 'teams:city', 'zh'), '城市');
  assert.equal(boardLabel(contest, 'component:reproductions', 'zh'), '模型复现');
});
