// The Lua scripts that make store operations atomic. Each validates before it
// writes, so a refused call changes nothing.
#include "lua_script.hpp"

namespace lb::engine {

// KEYS[1] ledger hash, KEYS[2] award log stream; every other key is built from
// ARGV[1] (the contest prefix "lb:{id}:"), which carries the same hash tag.
// ARGV[2] subject, ARGV[3] award record JSON (award::to_json), ARGV[4] time
// base of the tie encoding, ARGV[5] "1" when public boards are frozen,
// ARGV[6] a delivery id ("" for none): a delivery seen in the last 30 days is
// answered "duplicate" and changes nothing; ARGV[7] (optional) an audit entry
// (JSON) appended to the admin audit stream when the award is applied.
// Returns {"applied", log id, changed rows...}, {"unchanged"}, {"stale"} or {"duplicate"};
// an error reply (nothing written) when a total would leave the exact range.
const lua_script& apply_award_script() {
    static const lua_script script(R"LUA(
local prefix, subject, record_json = ARGV[1], ARGV[2], ARGV[3]
local time_base = tonumber(ARGV[4])
local frozen = (ARGV[5] == '1' or redis.call('EXISTS', prefix .. 'frozen_now') == 1) and redis.call('EXISTS', prefix .. 'unfrozen') == 0
local SLOTS, LIMIT = 16777216, 536870911

-- Taking the delivery id first answers a redelivery with one command; a refusal below gives it back.
local delivery = ARGV[6] ~= '' and (prefix .. 'delivery:' .. ARGV[6]) or nil
if delivery and not redis.call('SET', delivery, '1', 'NX', 'EX', 2592000) then return {'duplicate'} end

local record = cjson.decode(record_json)
local previous_json = redis.call('HGET', KEYS[1], subject)
local previous = nil
if previous_json then
  if previous_json == record_json then return {'unchanged'} end
  previous = cjson.decode(previous_json)
  if (previous.version or 0) > (record.version or 0) then return {'stale'} end
  -- A newer record that moves nothing (same points, owner, time and boards) is kept
  -- without an event: re-deciding a model or editing a PR title is not news.
  if previous.points == record.points and previous.participant == record.participant and previous.at == record.at and
     previous.pending == record.pending and cjson.encode(previous.contrib) == cjson.encode(record.contrib) then
    redis.call('HSET', KEYS[1], subject, record_json)
    return {'unchanged'}
  end
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

-- A row's board score holds its total and reached-at offset exactly (tie_order.hpp):
-- score = -total * SLOTS + offset, 0 <= offset < SLOTS. Every row is checked before any moves.
for _, e in ipairs(order) do
  local score = redis.call('ZSCORE', prefix .. 'board:' .. e.board, e.member)
  e.total = 0
  if score then
    local s = tonumber(score)
    e.total = math.ceil(-s / SLOTS)
    e.offset = s + e.total * SLOTS
  end
  if math.abs(e.total + e.delta) > LIMIT then
    if delivery then redis.call('DEL', delivery) end
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

local rows, boards, seen_boards, offset_of = {}, {}, {}, {}
for _, e in ipairs(order) do
  if not seen_boards[e.board] then seen_boards[e.board] = true; boards[#boards + 1] = e.board end
  local board_key = prefix .. 'board:' .. e.board
  if frozen and redis.call('SADD', prefix .. 'frozen_boards', e.board) == 1 then
    redis.call('DEL', prefix .. 'frozen:' .. e.board)
    if redis.call('EXISTS', board_key) == 1 then redis.call('COPY', board_key, prefix .. 'frozen:' .. e.board) end
  end
  -- "teams" and "teams:<kind>" rows of a team count the same awards: one shared set.
  local contributors = prefix .. 'ctr:' .. (e.board:sub(1, 6) == 'teams:' and 'teams' or e.board) .. ':' .. e.member
  local offset = offset_of[contributors]
  if offset == nil then
    offset = latest_offset(contributors, e)
    offset_of[contributors] = offset
  end
  local total = e.total + e.delta
  if total == 0 and not offset then
    redis.call('ZREM', board_key, e.member)
  else
    redis.call('ZADD', board_key, string.format('%.17g', -total * SLOTS + (offset or record_offset)), e.member)
  end
  rows[#rows + 1] = e.board .. '\n' .. e.member
end

if previous and previous.pending and previous.pending ~= record.pending then
  local key = prefix .. 'pending:' .. previous.pending
  redis.call('SREM', key, subject)
  if redis.call('SCARD', key) == 0 then redis.call('SREM', prefix .. 'unattributed', previous.pending) end
end
if record.pending then
  redis.call('SADD', prefix .. 'pending:' .. record.pending, subject)
  redis.call('SADD', prefix .. 'unattributed', record.pending)
end

if previous and previous.participant and previous.participant ~= '' and previous.participant ~= record.participant then
  redis.call('SREM', prefix .. 'subjects:' .. previous.participant, subject)
end
if record.participant ~= '' then redis.call('SADD', prefix .. 'subjects:' .. record.participant, subject) end

redis.call('HSET', KEYS[1], subject, record_json)
if ARGV[7] and ARGV[7] ~= '' then redis.call('XADD', prefix .. 'audit', '*', 'entry', ARGV[7]) end
local previous_points = previous and previous.points or 0
local id = redis.call('XADD', KEYS[2], '*', 'record', record_json, 'previous_points', string.format('%d', previous_points),
                      'boards', table.concat(boards, ','))
local reply = {'applied', id}
for _, r in ipairs(rows) do reply[#reply + 1] = r end
return reply
)LUA");
    return script;
}

// KEYS[1] live board, KEYS[2] frozen copy, KEYS[3] set of frozen boards,
// KEYS[4] the "unfrozen" flag, KEYS[5] the manual freeze. ARGV[1] "" for the admin (live) view,
// else the public view: "1" when freeze_at has passed, "0" before; ARGV[2] board name, ARGV[3..4] range.
// Returns {total, {member, score, ...}, 1 if the public view is frozen, 1 if it read the frozen copy}.
const lua_script& read_board_script() {
    static const lua_script script(R"LUA(
local key = KEYS[1]
local frozen = ARGV[1] ~= '' and (ARGV[1] == '1' or redis.call('EXISTS', KEYS[5]) == 1) and redis.call('EXISTS', KEYS[4]) == 0
local copy = frozen and redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 1
if copy then key = KEYS[2] end
return {redis.call('ZCARD', key), redis.call('ZRANGE', key, ARGV[3], ARGV[4], 'WITHSCORES'), frozen and 1 or 0, copy and 1 or 0}
)LUA");
    return script;
}

// ARGV[1] contest prefix, ARGV[2] the view as in read_board ("" admin, "0"/"1" public),
// ARGV[3] member, ARGV[4..] boards. Returns per board {rank (0-based) or -1, score or ""}.
const lua_script& read_member_script() {
    static const lua_script script(R"LUA(
local prefix, member = ARGV[1], ARGV[3]
local public_view = ARGV[2] ~= '' and (ARGV[2] == '1' or redis.call('EXISTS', prefix .. 'frozen_now') == 1) and
                    redis.call('EXISTS', prefix .. 'unfrozen') == 0
local out = {}
for i = 4, #ARGV do
  local key = prefix .. 'board:' .. ARGV[i]
  if public_view and redis.call('SISMEMBER', prefix .. 'frozen_boards', ARGV[i]) == 1 then
    key = prefix .. 'frozen:' .. ARGV[i]
  end
  local rank = redis.call('ZRANK', key, member)
  local score = redis.call('ZSCORE', key, member)
  out[#out + 1] = {rank or -1, score or ''}
end
return out
)LUA");
    return script;
}

}  // namespace lb::engine
