-- Keeps a voter's ballot, replacing their earlier one unless an organizer voided it, and raises the vote's version.
-- KEYS[1] the vote's ballots (hash), KEYS[2] its version; ARGV[1] the voter's community id, ARGV[2] the ballot (JSON).
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if kept and cjson.decode(kept).voided then return 'voided' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 'ok'
