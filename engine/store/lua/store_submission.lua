-- Stores a new submission unless one with its id exists: 1 when stored, 0 when it existed.
-- KEYS[1] submissions hash, KEYS[2] the model's submission ids. ARGV[1] id, ARGV[2] JSON.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
