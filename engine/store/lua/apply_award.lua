-- Sets one or more subjects' awards and moves every board by the differences, all in one step
-- (a verdict's reproduction and first-bonus awards, a judge's sheet, one PR's award); see
-- engine/store/award_store.cpp for the calling side and docs/design.md for the rules.
-- KEYS: every key the script touches (Redis Cluster routes by them; all share the contest's
-- hash tag): 1 ledger, 2 award log, 3 audit, 4 frozen_now, 5 unfrozen, 6 frozen_boards,
-- 7 unattributed, 8 held (set while a recompute swaps boards in), 9 final (set once the contest
-- is final), 10 the awards kept after it, 11 the boards' tie encoding, then the keys of the awards'
-- boards, contributor sets, pending logins, participants' subjects and the delivery key (and
-- the frozen copies while frozen). Those of the stored awards they replace the caller learns from
-- a {'keys', ...} answer (nothing written), and calls again with them added.
-- ARGV[1] contest prefix "lb:{id}:" (key names are built from it, then checked declared),
-- ARGV[2] time base of the tie encoding, ARGV[3] "1" when freeze_at has passed, ARGV[4] delivery
-- id ("" for none): a delivery seen in the last 30 days is answered "duplicate" and changes
-- nothing, ARGV[5] an audit entry appended when an award is applied ("" for none), ARGV[6] "1" to
-- skip the hold check (the recompute replaying awards into its rebuilt boards), ARGV[7] the tie
-- encoding of this version (engine/core/tie_order.hpp): boards in another one are rebuilt at
-- start-up (a recompute, engine/store/tie_encoding.cpp) and awards wait ("held") until they are,
-- then from ARGV[8] a subject and its award record JSON (award::to_json) per award, each subject once.
-- Returns per award, in order, its outcome and log id ("" but for "applied"): "applied",
-- "unchanged", "stale" or "final" (the contest is final: the award is kept in KEYS[10], no board
-- moves); or for the whole call {"duplicate"}, {"held"} (a recompute is swapping the boards in:
-- nothing written, try again), {"keys", name...}, or an error reply (nothing written) when a
-- total would leave the exact range.
local prefix = ARGV[1]
local time_base = tonumber(ARGV[2])
local SLOTS, LIMIT = 67108864, 134217727

if ARGV[6] ~= '1' then
  if redis.call('EXISTS', KEYS[8]) == 1 then return {'held'} end
  if redis.call('GET', KEYS[11]) ~= ARGV[7] then
    if redis.call('HLEN', KEYS[1]) > 0 then return {'held'} end
    redis.call('SET', KEYS[11], ARGV[7])  -- a contest's first award: its boards start in this encoding
  end
end
local frozen = public_frozen(ARGV[3], KEYS[4], KEYS[5])

local awards, subjects = {}, {}
for i = 8, #ARGV - 1, 2 do
  if subjects[ARGV[i]] then return redis.error_reply('ERR subject ' .. ARGV[i] .. ' given twice') end
  subjects[ARGV[i]] = true
  awards[#awards + 1] = {subject = ARGV[i], json = ARGV[i + 1], outcome = false, record = false, previous = false, order = false}
end

-- Taking the delivery id first answers a redelivery with one command; a refusal below gives it back.
local delivery = ARGV[4] ~= '' and delivery_key(prefix, ARGV[4]) or nil
if delivery and not redis.call('SET', delivery, '1', 'NX', 'EX', 2592000) then return {'duplicate'} end
local function give_back() if delivery then redis.call('DEL', delivery) end end

local out = {}
if redis.call('EXISTS', KEYS[9]) == 1 then
  for _, a in ipairs(awards) do
    redis.call('HSET', KEYS[10], a.subject, a.json)
    out[#out + 1] = 'final'; out[#out + 1] = ''
  end
  return out
end

-- Every key the rest may touch must be declared. The caller declares those of the awards it gives
-- (their rows, pending logins, participants, delivery); those of the awards they replace, and the
-- frozen copies, are checked here before the first read of one (the set of declared keys is built
-- only then).
local declared, missing = nil, {'keys'}
local function need(name)
  if not declared then
    declared = {}
    for _, k in ipairs(KEYS) do declared[k] = true end
  end
  if not declared[name] then missing[#missing + 1] = name; declared[name] = true end
end

-- First every award is compared with its stored record, and its rows listed (nothing written).
local function plan(a)
  local record = cjson.decode(a.json)
  local previous_json = redis.call('HGET', KEYS[1], a.subject)
  local previous = nil
  if previous_json then
    if previous_json == a.json then a.outcome = 'unchanged'; return end
    previous = cjson.decode(previous_json)
    if (previous.version or 0) > (record.version or 0) then a.outcome = 'stale'; return end
  end
  a.record, a.previous = record, previous
  local changes, order = {}, {}
  local function note(c, sign)
    local key = c[1] .. '\n' .. c[2]
    local entry = changes[key]
    if not entry then
      entry = {key = key, board = c[1], member = c[2], delta = 0, value = 0, board_key = false, contributors = false,
               frozen_key = false, row = false, total = 0, offset = false, checked = 0}
      changes[key] = entry
      order[#order + 1] = entry
    end
    entry.delta = entry.delta + sign * c[3]
    if sign > 0 then entry.value = c[3] end
  end
  if previous then for _, c in ipairs(previous.contrib) do note(c, -1) end end
  for _, c in ipairs(record.contrib) do note(c, 1) end
  for _, e in ipairs(order) do
    e.board_key, e.contributors = board_key(prefix, e.board), contributors_key(prefix, e.board, e.member)
    if e.value == 0 then need(e.board_key); need(e.contributors) end  -- a row only the replaced award had
    if frozen then e.frozen_key = frozen_key(prefix, e.board); need(e.frozen_key) end
  end
  if previous and previous.pending and previous.pending ~= record.pending then need(pending_key(prefix, previous.pending)) end
  if previous and previous.participant and previous.participant ~= '' and previous.participant ~= record.participant then
    need(subjects_key(prefix, previous.participant))
  end
  a.order = order
  -- A newer record that moves nothing (same points, owner, time and boards) is kept without
  -- an event: re-deciding a model or editing a PR title is not news.
  if previous and previous.points == record.points and previous.participant == record.participant and previous.at == record.at and
     previous.pending == record.pending and cjson.encode(previous.contrib) == cjson.encode(record.contrib) then
    a.outcome = 'quiet'
  else
    a.outcome = 'moves'
  end
end
for _, a in ipairs(awards) do plan(a) end
if #missing > 1 then give_back(); return missing end

-- A row's board score holds its total and reached-at offset exactly (tie_order.hpp):
-- score = -total * SLOTS + offset, 0 <= offset < SLOTS. Every row is read once and checked, at
-- each award in turn, before any moves. One award's rows are its own; awards given together
-- share a row's state (one award alone, the common case, builds no table for it).
local shared_rows = #awards > 1 and {} or nil
for _, a in ipairs(awards) do
  if a.outcome == 'moves' then
    for _, e in ipairs(a.order) do
      local row = shared_rows and shared_rows[e.key]
      if not row then
        row = shared_rows and {} or e
        row.total = 0
        local score = redis.call('ZSCORE', e.board_key, e.member)
        if score then
          local s = tonumber(score)
          row.total = math.ceil(-s / SLOTS)
          row.offset = s + row.total * SLOTS
        end
        row.checked = row.total
        if shared_rows then shared_rows[e.key] = row end
      end
      e.row = row
      row.checked = row.checked + e.delta
      if math.abs(row.checked) > LIMIT then
        give_back()
        return redis.error_reply('ERR points out of range for ' .. e.board .. ' ' .. e.member)
      end
    end
  end
end

-- A contribution that is added, or moves later, can only move the member's latest
-- contribution to its own time; one that leaves or moves earlier needs the set's maximum.
local function latest_offset(subject, at, e, only_later, record_offset)
  if e.value ~= 0 then
    redis.call('ZADD', e.contributors, at, subject)
    if only_later then return math.max(e.row.offset or 0, record_offset) end
  else
    redis.call('ZREM', e.contributors, subject)
  end
  local latest = redis.call('ZREVRANGE', e.contributors, 0, 0, 'WITHSCORES')
  if #latest == 0 then return false end
  return math.max(0, tonumber(latest[2]) - time_base)
end

local function move(a)
  local record, previous, subject = a.record, a.previous, a.subject
  local only_later = not previous or (previous.at or 0) <= record.at
  local record_offset = math.max(0, record.at - time_base)
  local boards, seen_boards, offset_of = {}, {}, {}
  for _, e in ipairs(a.order) do
    if not seen_boards[e.board] then seen_boards[e.board] = true; boards[#boards + 1] = e.board end
    local board, row = e.board_key, e.row
    if frozen and redis.call('SADD', KEYS[6], e.board) == 1 then
      redis.call('DEL', e.frozen_key)
      if redis.call('EXISTS', board) == 1 then redis.call('COPY', board, e.frozen_key) end
    end
    local offset = offset_of[e.contributors]
    if offset == nil then
      offset = latest_offset(subject, record.at, e, only_later, record_offset)
      offset_of[e.contributors] = offset
    end
    local total = row.total + e.delta
    if total == 0 and not offset then
      redis.call('ZREM', board, e.member)
      row.total, row.offset = 0, nil
    else
      row.total, row.offset = total, offset or record_offset
      redis.call('ZADD', board, string.format('%.17g', -total * SLOTS + row.offset), e.member)
    end
  end

  if previous and previous.pending and previous.pending ~= record.pending then
    local key = pending_key(prefix, previous.pending)
    redis.call('SREM', key, subject)
    if redis.call('SCARD', key) == 0 then redis.call('SREM', KEYS[7], previous.pending) end
  end
  if record.pending then
    redis.call('SADD', pending_key(prefix, record.pending), subject)
    redis.call('SADD', KEYS[7], record.pending)
  end
  if previous and previous.participant and previous.participant ~= '' and previous.participant ~= record.participant then
    redis.call('SREM', subjects_key(prefix, previous.participant), subject)
  end
  if record.participant ~= '' then redis.call('SADD', subjects_key(prefix, record.participant), subject) end

  redis.call('HSET', KEYS[1], subject, a.json)
  local previous_points = previous and previous.points or 0
  return redis.call('XADD', KEYS[2], '*', 'record', a.json, 'previous_points', string.format('%d', previous_points),
                    'boards', table.concat(boards, ','))
end

local applied = false
for _, a in ipairs(awards) do
  local id = ''
  if a.outcome == 'quiet' then
    redis.call('HSET', KEYS[1], a.subject, a.json)
    a.outcome = 'unchanged'
  elseif a.outcome == 'moves' then
    id = move(a)
    a.outcome, applied = 'applied', true
  end
  out[#out + 1] = a.outcome; out[#out + 1] = id
end
if applied and ARGV[5] ~= '' then redis.call('XADD', KEYS[3], '*', 'entry', ARGV[5]) end
return out
