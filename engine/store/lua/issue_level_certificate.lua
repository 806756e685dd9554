-- Issues a member's certificate for a level once: the first caller's id stays (several level watches may run).
-- KEYS[1] the member's certificates by level (hash), KEYS[2] every certificate by id (hash);
-- ARGV[1] the level id, ARGV[2] the new certificate's id, ARGV[3] its record. Returns the id that holds the level.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return redis.call('HGET', KEYS[1], ARGV[1]) end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return ARGV[2]
