-- Removes every submission token of a participant; returns how many there were.
-- KEYS[1] token digests, KEYS[2] audit stream; ARGV[1] participant, ARGV[2] audit entry.
local all = redis.call('HGETALL', KEYS[1])
local removed = 0
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    removed = removed + 1
  end
end
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[2])
return removed
