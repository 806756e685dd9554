-- Stores team and participant rows, bumps the roster revision, appends the audit entry.
-- KEYS[1] team rows, KEYS[2] participant rows, KEYS[3] revision, KEYS[4] audit stream.
-- ARGV[1] audit entry ("" for none), ARGV[2] number of team rows, then id/json pairs
-- of the teams followed by those of the participants.
local teams = tonumber(ARGV[2])
local i = 3
for _ = 1, teams do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
while i < #ARGV do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
if ARGV[1] ~= '' then redis.call('XADD', KEYS[4], '*', 'entry', ARGV[1]) end
return redis.call('INCR', KEYS[3])
