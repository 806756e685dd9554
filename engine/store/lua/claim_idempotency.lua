-- Claims an Idempotency-Key for a request, or returns what it holds.
-- KEYS[1] the key's record. ARGV[1] the claim, ARGV[2] its lifetime (ms).
-- Returns {"claimed"} or {"stored", record}.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'claimed'} end
return {'stored', redis.call('GET', KEYS[1]) or ''}
