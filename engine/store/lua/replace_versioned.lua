-- Replaces a versioned value if nobody changed it since it was read.
-- KEYS[1] a hash {rev, value}; ARGV[1] the revision read ("0" when there was none), ARGV[2] the new value.
-- Returns the new revision, or 0 when the hash moved on (the caller reads again).
local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then return 0 end
local next = tonumber(rev) + 1
redis.call('HSET', KEYS[1], 'rev', tostring(next), 'value', ARGV[2])
return next
