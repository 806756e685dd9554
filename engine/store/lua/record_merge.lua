-- A merged pull request in one of the community's repositories, kept as activity (no points),
-- whatever contest window it falls in or outside: the operations figures read it.
-- KEYS[1] merges (zset: "<subject> <login key>" -> merged at), KEYS[2] first merges (hash: login
-- key -> earliest merged at), KEYS[3] the login's merges (zset: subject -> merged at).
-- ARGV[1] subject, ARGV[2] login key, ARGV[3] merged at (unix seconds).
-- Returns 1 when the merge is new, 0 when it was known (a redelivery, a reconcile, a backfill).
local at = tonumber(ARGV[3])
local member = ARGV[1] .. ' ' .. ARGV[2]
local known = redis.call('ZSCORE', KEYS[1], member)
redis.call('ZADD', KEYS[1], at, member)
redis.call('ZADD', KEYS[3], at, ARGV[1])
local first = redis.call('HGET', KEYS[2], ARGV[2])
if not first or tonumber(first) > at then redis.call('HSET', KEYS[2], ARGV[2], at) end
if known then return 0 end
return 1
