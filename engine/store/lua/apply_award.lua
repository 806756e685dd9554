-- Sets a subject's award and moves every board by the difference, atomically; see
-- engine/award_store.cpp for the calling side and docs/design.md for the rules.
-- KEYS: every key the script touches (Redis Cluster routes by them; all share the contest's
-- hash tag): 1 ledger, 2 award log, 3 audit, 4 frozen_now, 5 unfrozen, 6 frozen_boards,
-- 7 unattributed, 8 held (set while a recompute swaps boards in), 9 final (set once the contest
-- is final), 10 the awards kept after it, 11 the boards' tie encoding, then the keys of the award's
-- boards, contributor sets, pending login, participant's subjects and the delivery key (and
-- the frozen copies while frozen). Those of the stored award it replaces the caller learns from a
-- {'keys', ...} answer (nothing written), and calls again with them added.
-- ARGV[1] contest prefix "lb:{id}:" (key names are built from it, then checked declared),
-- ARGV[2] subject, ARGV[3] award record JSON (award::to_json), ARGV[4] time base of the tie
-- encoding, ARGV[5] "1" when freeze_at has passed, ARGV[6] delivery id ("" for none): a delivery
-- seen in the last 30 days is answered "duplicate" and changes nothing, ARGV[7] an audit entry
-- appended when the award is applied ("" for none), ARGV[8] "1" to skip the hold check (the
-- recompute replaying awards into its rebuilt boards), ARGV[9] the tie encoding of this version
-- (engine/core/tie_order.hpp): boards in another one are rebuilt at start-up (a recompute,
-- engine/store/tie_encoding.cpp) and awards wait ("held") until they are.
-- Returns {"applied", log id}, {"unchanged"}, {"stale"}, {"duplicate"}, {"held"} (a recompute is
-- swapping the boards in: nothing written, try again), {"final"} (the contest is final: the award
-- is kept in KEYS[10], no board moves), {"keys", name...}, or an error reply
-- (nothing written) when a total would leave the exact range.
local prefix, subject, record_json = ARGV[1], ARGV[2], ARGV[3]
local time_base = tonumber(ARGV[4])
local SLOTS, LIMIT = 67108864, 134217727

if ARGV[8] ~= '1' then
  if redis.call('EXISTS', KEYS[8]) == 1 then return {'held'} end
  if redis.call('GET', KEYS[11]) ~= ARGV[9] then
    if redis.call('HLEN', KEYS[1]) > 0 then return {'held'} end
    redis.call('SET', KEYS[11], ARGV[9])  -- a contest's first award: its boards start in this encoding
  end
end
local frozen = public_frozen(ARGV[5], KEYS[4], KEYS[5])

-- Taking the delivery id first answers a redelivery with one command; a refusal below gives it back.
local delivery = ARGV[6] ~= '' and delivery_key(prefix, ARGV[6]) or nil
if delivery and not redis.call('SET', delivery, '1', 'NX', 'EX', 2592000) then return {'duplicate'} end
local function give_back() if delivery then redis.call('DEL', delivery) end end

if redis.call('EXISTS', KEYS[9]) == 1 then
  redis.call('HSET', KEYS[10], subject, record_json)
  return {'final'}
end

local record = cjson.decode(record_json)
local previous_json = redis.call('HGET', KEYS[1], subject)
local previous = nil
if previous_json then
  if previous_json == record_json then return {'unchanged'} end
  previous = cjson.decode(previous_json)
  if (previous.version or 0) > (record.version or 0) then return {'stale'} end
end

local changes, order = {}, {}
local function note(c, sign)
  local key = c[1] .. '\n' .. c[2]
  local entry = changes[key]
  if not entry then
    entry = {board = c[1], member = c[2], delta = 0, value = 0}
    changes[key] = entry
    order[#order + 1] = entry
  end
  entry.delta = entry.delta + sign * c[3]
  if sign > 0 then entry.value = c[3] end
end
if previous then for _, c in ipairs(previous.contrib) do note(c, -1) end end
for _, c in ipairs(record.contrib) do note(c, 1) end

-- Every key the rest may touch must be declared. The caller declares those of the award it gives
-- (its rows, pending login, participant, delivery); those of the award it replaces, and the frozen
-- copies, are checked here before the first read of one (the set of declared keys is built only then).
local declared, missing = nil, {}
local function need(name)
  if not declared then
    declared = {}
    for _, k in ipairs(KEYS) do declared[k] = true end
  end
  if not declared[name] then missing[#missing + 1] = name end
end
for _, e in ipairs(order) do
  e.board_key, e.contributors = board_key(prefix, e.board), contributors_key(prefix, e.board, e.member)
  if e.value == 0 then need(e.board_key); need(e.contributors) end  -- a row only the replaced award had
  if frozen then e.frozen_key = frozen_key(prefix, e.board); need(e.frozen_key) end
end
if previous and previous.pending and previous.pending ~= record.pending then need(pending_key(prefix, previous.pending)) end
if previous and previous.participant and previous.participant ~= '' and previous.participant ~= record.participant then
  need(subjects_key(prefix, previous.participant))
end
if #missing > 0 then give_back(); return {'keys', unpack(missing)} end

-- A newer record that moves nothing (same points, owner, time and boards) is kept without
-- an event: re-deciding a model or editing a PR title is not news.
if previous and previous.points == record.points and previous.participant == record.participant and previous.at == record.at and
   previous.pending == record.pending and cjson.encode(previous.contrib) == cjson.encode(record.contrib) then
  redis.call('HSET', KEYS[1], subject, record_json)
  return {'unchanged'}
end

-- A row's board score holds its total and reached-at offset exactly (tie_order.hpp):
-- score = -total * SLOTS + offset, 0 <= offset < SLOTS. Every row is checked before any moves.
for _, e in ipairs(order) do
  local score = redis.call('ZSCORE', e.board_key, e.member)
  e.total = 0
  if score then
    local s = tonumber(score)
    e.total = math.ceil(-s / SLOTS)
    e.offset = s + e.total * SLOTS
  end
  if math.abs(e.total + e.delta) > LIMIT then
    give_back()
    return redis.error_reply('ERR points out of range for ' .. e.board .. ' ' .. e.member)
  end
end

-- A contribution that is added, or moves later, can only move the member's latest
-- contribution to its own time; one that leaves or moves earlier needs the set's maximum.
local only_later = not previous or (previous.at or 0) <= record.at
local record_offset = math.max(0, record.at - time_base)
local function latest_offset(contributors, e)
  if e.value ~= 0 then
    redis.call('ZADD', contributors, record.at, subject)
    if only_later then return math.max(e.offset or 0, record_offset) end
  else
    redis.call('ZREM', contributors, subject)
  end
  local latest = redis.call('ZREVRANGE', contributors, 0, 0, 'WITHSCORES')
  if #latest == 0 then return false end
  return math.max(0, tonumber(latest[2]) - time_base)
end

local boards, seen_boards, offset_of = {}, {}, {}
for _, e in ipairs(order) do
  if not seen_boards[e.board] then seen_boards[e.board] = true; boards[#boards + 1] = e.board end
  local board = e.board_key
  if frozen and redis.call('SADD', KEYS[6], e.board) == 1 then
    redis.call('DEL', e.frozen_key)
    if redis.call('EXISTS', board) == 1 then redis.call('COPY', board, e.frozen_key) end
  end
  local contributors = e.contributors
  local offset = offset_of[contributors]
  if offset == nil then
    offset = latest_offset(contributors, e)
    offset_of[contributors] = offset
  end
  local total = e.total + e.delta
  if total == 0 and not offset then
    redis.call('ZREM', board, e.member)
  else
    redis.call('ZADD', board, string.format('%.17g', -total * SLOTS + (offset or record_offset)), e.member)
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

redis.call('HSET', KEYS[1], subject, record_json)
if ARGV[7] ~= '' then redis.call('XADD', KEYS[3], '*', 'entry', ARGV[7]) end
local previous_points = previous and previous.points or 0
local id = redis.call('XADD', KEYS[2], '*', 'record', record_json, 'previous_points', string.format('%d', previous_points),
                      'boards', table.concat(boards, ','))
return {'applied', id}
