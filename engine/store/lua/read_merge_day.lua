-- One UTC day of the community's merges as one string, kept beside the merges set: a window's
-- merges are then read as one string a day instead of a member each (a year's million members
-- cost Redis seconds to send; its 365 strings, milliseconds).
-- KEYS[1] the merges set, KEYS[2] the day's string. ARGV[1] the day's first second, ARGV[2] the
-- next day's first second.
-- Returns "<count>\n" then "<merged at> <subject> <login key>\n" per merge in time order. The kept
-- string is used while its count is the set's count for the day; otherwise it is built again
-- here (recording a merge also deletes its day's string: merge_activity.cpp).
local count = redis.call('ZCOUNT', KEYS[1], ARGV[1], '(' .. ARGV[2])
local kept = redis.call('GET', KEYS[2])
if kept and tonumber(string.match(kept, '^(%d+)\n')) == count then return kept end
if count == 0 then
  redis.call('DEL', KEYS[2])
  return '0\n'
end
local items = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2], 'WITHSCORES')
local lines = {count .. '\n'}
for i = 1, #items, 2 do
  -- A member with a line break would split its line; recording refuses such logins.
  if not string.find(items[i], '\n', 1, true) then lines[#lines + 1] = items[i + 1] .. ' ' .. items[i] .. '\n' end
end
kept = table.concat(lines)
redis.call('SET', KEYS[2], kept)
return kept
