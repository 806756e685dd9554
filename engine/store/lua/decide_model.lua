-- Optionally replaces one submission (a verdict) and appends an audit entry, then returns the
-- state of the whole model at a new revision: {revision, json...}.
-- KEYS[1] submissions hash, KEYS[2] the model's submission ids, KEYS[3] the model's revision,
-- KEYS[4] audit stream. ARGV[1] submission id ("" to only re-decide), ARGV[2] its JSON,
-- ARGV[3] audit entry ("" for none).
if ARGV[1] ~= '' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('SADD', KEYS[2], ARGV[1])
end
if ARGV[3] ~= '' then redis.call('XADD', KEYS[4], '*', 'entry', ARGV[3]) end
local out = {redis.call('INCR', KEYS[3])}
local ids = redis.call('SMEMBERS', KEYS[2])
if #ids > 0 then
  local rows = redis.call('HMGET', KEYS[1], unpack(ids))
  for _, row in ipairs(rows) do if row then out[#out + 1] = row end end
end
return out
