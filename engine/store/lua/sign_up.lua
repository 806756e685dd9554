-- A person's sign-up request, queued for an organizer. Refused (nothing written) when one of
-- its logins already belongs to a person or to a request that waits, or the queue is full.
-- KEYS[1] logins (login key -> community id or "request:<id>"), KEYS[2] requests (id -> JSON),
-- KEYS[3] the queue (request id by arrival), KEYS[4] the request sequence.
-- ARGV[1] the request JSON without its id and state, ARGV[2] the arrival time (unix seconds),
-- ARGV[3] the queue's limit, ARGV[4..] the login keys ("github:octocat", lower case).
for i = 4, #ARGV do
  local holder = redis.call('HGET', KEYS[1], ARGV[i])
  if holder then return {'duplicate', ARGV[i], holder} end
end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then return {'full'} end
local id = 'r' .. redis.call('INCR', KEYS[4])
local request = cjson.decode(ARGV[1])
request.id, request.state, request.requested_at = id, 'pending', tonumber(ARGV[2])
redis.call('HSET', KEYS[2], id, cjson.encode(request))
redis.call('ZADD', KEYS[3], tonumber(ARGV[2]), id)
for i = 4, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], 'request:' .. id) end
return {'queued', id}
