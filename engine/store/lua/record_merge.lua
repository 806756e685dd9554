-- A merged pull request in one of the community's repositories, kept as activity (no points),
-- whatever contest window it falls in or outside: the operations figures read it.
-- KEYS[1] merges (zset: subject -> merged at), KEYS[2] merge authors (hash: subject -> login key),
-- KEYS[3] first merges (hash: login key -> earliest merged at), KEYS[4] the login's merges (zset).
-- ARGV[1] subject, ARGV[2] login key, ARGV[3] merged at (unix seconds).
-- Returns 1 when the merge is new, 0 when it was known (a redelivery, a reconcile, a backfill).
local at = tonumber(ARGV[3])
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], at, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], at, ARGV[1])
local first = redis.call('HGET', KEYS[3], ARGV[2])
if not first or tonumber(first) > at then redis.call('HSET', KEYS[3], ARGV[2], at) end
if known then return 0 end
return 1
