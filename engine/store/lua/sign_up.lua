-- A person's sign-up request, queued for an organizer. Refused (nothing written) when one of
-- its logins already belongs to a person or to a request that waits, when the queue is full, or
-- when the client already has its share of waiting requests. A login the signer proved by
-- signing in with its host wins over a request that waits for it unproven: that request is set
-- aside (audited, its logins freed) and this one queued.
-- KEYS[1] logins (login key -> community id or "request:<id>"), KEYS[2] requests (id -> JSON),
-- KEYS[3] the queue (request id by arrival), KEYS[4] the request sequence, KEYS[5] waiting
-- requests per client, KEYS[6] the community's audit stream.
-- ARGV[1] the request JSON without its id and state, ARGV[2] the arrival time (unix seconds),
-- ARGV[3] the queue's limit, ARGV[4] the per-client limit, ARGV[5] the client ("" for none),
-- ARGV[6] how many of the login keys that follow are proven (they come first), ARGV[7..] the
-- login keys ("github:octocat", lower case).
local proven_count = tonumber(ARGV[6])
local set_aside = {}
for i = 7, #ARGV do
  local holder = redis.call('HGET', KEYS[1], ARGV[i])
  if holder then
    local proven = i < 7 + proven_count
    local other = nil
    if proven and string.sub(holder, 1, 8) == 'request:' then
      local text = redis.call('HGET', KEYS[2], string.sub(holder, 9))
      if text then other = cjson.decode(text) end
    end
    local host = string.match(ARGV[i], '^([^:]+):')
    local other_proven = other and type(other.proven) == 'table' and other.proven[host]
    if not other or other.state ~= 'pending' or other_proven then return {'duplicate', ARGV[i], holder} end
    set_aside[#set_aside + 1] = {other, ARGV[i]}
  end
end
if redis.call('ZCARD', KEYS[3]) + 1 - #set_aside > tonumber(ARGV[3]) then return {'full'} end
if ARGV[5] ~= '' and tonumber(redis.call('HGET', KEYS[5], ARGV[5]) or '0') >= tonumber(ARGV[4]) then return {'client_full'} end
local now = tonumber(ARGV[2])
local reply = {'queued', ''}
for _, pair in ipairs(set_aside) do
  local other, login = pair[1], pair[2]
  if other.state == 'pending' then
    other.state, other.decided_at, other.decided_by = 'set_aside', now, 'sign-in'
    other.reason = 'the owner of ' .. login .. ' proved it by signing in'
    redis.call('ZREM', KEYS[3], other.id)
    for _, key in ipairs(other.login_keys or {}) do
      if redis.call('HGET', KEYS[1], key) == 'request:' .. other.id then redis.call('HDEL', KEYS[1], key) end
    end
    if other.client and other.client ~= '' then
      if redis.call('HINCRBY', KEYS[5], other.client, -1) <= 0 then redis.call('HDEL', KEYS[5], other.client) end
    end
    redis.call('HSET', KEYS[2], other.id, cjson.encode(other))
    redis.call('XADD', KEYS[6], '*', 'entry', cjson.encode({action = 'set_aside_sign_up', request = other.id, login = login, at = now}))
    reply[#reply + 1] = other.id
  end
end
local id = 'r' .. redis.call('INCR', KEYS[4])
local request = cjson.decode(ARGV[1])
request.id, request.state, request.requested_at, request.client = id, 'pending', now, ARGV[5]
local keys = {}
for i = 7, #ARGV do keys[#keys + 1] = ARGV[i] end
request.login_keys = keys
redis.call('HSET', KEYS[2], id, cjson.encode(request))
redis.call('ZADD', KEYS[3], now, id)
for i = 7, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], 'request:' .. id) end
if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[5], ARGV[5], 1) end
reply[2] = id
return reply
