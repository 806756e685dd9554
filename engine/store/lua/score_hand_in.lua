-- A judge's score on a hand-in, kept only while the hand-in is the one the judge read, and audited.
-- KEYS[1] the contest's hand-ins (hash), KEYS[2] audit stream; ARGV[1] the hand-in id,
-- ARGV[2] its handed_at as the judge read it, ARGV[3] the record with its score, ARGV[4] audit entry.
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if not kept then return 'missing' end
if string.format('%d', cjson.decode(kept).handed_at) ~= ARGV[2] then return 'changed' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[4])
return 'ok'
