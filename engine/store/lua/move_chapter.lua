-- An organizer moves a person to another chapter of a kind: the membership of that kind in force
-- ends at `since` and the new one starts there, so points earned before stay with the old chapter.
-- KEYS[1] people (community id -> record), KEYS[2] the community's audit stream, KEYS[3] the set of
-- people who ever moved and KEYS[4] a counter of moves (the contests' rosters follow them: a
-- process that sees the counter change reads the movers again, engine/store/roster_store.cpp).
-- ARGV[1] community id, ARGV[2] kind, ARGV[3] chapter, ARGV[4] since, ARGV[5] actor, ARGV[6] reason, ARGV[7] now.
-- Returns {'moved', record}, {'unchanged', record}, {'unknown'} or {'too_early', since of the current one}.
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return {'unknown'} end
local person = cjson.decode(stored)
local since = tonumber(ARGV[4])
local list = person.memberships
if type(list) ~= 'table' then list = {} end
for _, m in ipairs(list) do
  if m.kind == ARGV[2] and m['until'] == nil then
    if m.chapter == ARGV[3] then return {'unchanged', stored} end
    if tonumber(m.since) >= since then return {'too_early', tostring(m.since)} end
  end
end
for _, m in ipairs(list) do
  if m.kind == ARGV[2] and m['until'] == nil then m['until'] = since end
end
list[#list + 1] = {kind = ARGV[2], chapter = ARGV[3], since = since}
person.memberships = list
local encoded = cjson.encode(person)
redis.call('HSET', KEYS[1], ARGV[1], encoded)
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
redis.call('XADD', KEYS[2], '*', 'entry', cjson.encode({action = 'move_chapter', person = ARGV[1], kind = ARGV[2],
  chapter = ARGV[3], since = since, actor = ARGV[5], reason = ARGV[6], at = tonumber(ARGV[7])}))
return {'moved', encoded}
