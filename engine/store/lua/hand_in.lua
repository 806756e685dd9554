-- Keeps a participant's hand-in, replacing their earlier one unless a judge has scored it.
-- KEYS[1] the contest's hand-ins (hash); ARGV[1] the hand-in id, ARGV[2] its record (JSON).
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if kept and cjson.decode(kept).score ~= nil then return 'scored' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 'ok'
