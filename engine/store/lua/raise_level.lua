-- A person's level only rises: the highest level reached is kept (several gateways may see the
-- same award; only the one that raises it announces it).
-- KEYS[1] the levels (community id -> ladder index). ARGV[1] community id, ARGV[2] the index reached.
-- Returns the index held before when it rose (-1 for none), nil otherwise.
local before = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
local reached = tonumber(ARGV[2])
if reached <= before then return nil end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return before
