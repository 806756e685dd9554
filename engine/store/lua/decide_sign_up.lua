-- An organizer's decision on a waiting sign-up. Approval issues the next community id (never
-- reused: the counter only grows) and makes the person; rejection frees the logins.
-- KEYS[1] logins, KEYS[2] requests, KEYS[3] the queue, KEYS[4] people (id -> JSON),
-- KEYS[5] the person sequence, KEYS[6] the community's audit stream, KEYS[7] waiting requests per
-- client, KEYS[8] proven host accounts ("<host>:<host's id>" -> community id).
-- ARGV[1] request id, ARGV[2] "approve" or "reject", ARGV[3] id prefix, ARGV[4] id width,
-- ARGV[5] the time (unix seconds), ARGV[6] actor, ARGV[7] a reason ("" for none).
-- Returns {'approved', community id}, {'rejected'}, {'unknown'} or {'decided', state}.
local text = redis.call('HGET', KEYS[2], ARGV[1])
if not text then return {'unknown'} end
local request = cjson.decode(text)
if request.state ~= 'pending' then return {'decided', request.state} end
local now = tonumber(ARGV[5])
-- The request names its login keys ("host:login"); one queued before they were kept names its
-- GitHub and Gitee logins only.
local logins = request.login_keys
if type(logins) ~= 'table' then
  logins = {}
  for _, host in ipairs({'github', 'gitee'}) do
    if request[host] and request[host] ~= '' then logins[#logins + 1] = host .. ':' .. string.lower(request[host]) end
  end
end
request.decided_at, request.decided_by = now, ARGV[6]
if ARGV[7] ~= '' then request.reason = ARGV[7] end
redis.call('ZREM', KEYS[3], ARGV[1])
if request.client and request.client ~= '' then
  if redis.call('HINCRBY', KEYS[7], request.client, -1) <= 0 then redis.call('HDEL', KEYS[7], request.client) end
end
if ARGV[2] == 'reject' then
  request.state = 'rejected'
  for _, key in ipairs(logins) do
    if redis.call('HGET', KEYS[1], key) == 'request:' .. ARGV[1] then redis.call('HDEL', KEYS[1], key) end
  end
  redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(request))
  redis.call('XADD', KEYS[6], '*', 'entry', cjson.encode({action = 'reject_sign_up', request = ARGV[1], actor = ARGV[6], at = now}))
  return {'rejected'}
end
local number = redis.call('INCR', KEYS[5])
local digits = tostring(number)
local width = tonumber(ARGV[4])
if #digits < width then digits = string.rep('0', width - #digits) .. digits end
local id = ARGV[3] .. digits
request.state, request.community_id = 'approved', id
local memberships = {}
for _, kind in ipairs({'city', 'school', 'company'}) do
  if request[kind] ~= '' then memberships[#memberships + 1] = {kind = kind, chapter = request[kind], since = now} end
end
local person = {id = id, name = request.name, registered_at = request.requested_at, approved_at = now, memberships = memberships}
for _, key in ipairs(logins) do
  local host = string.match(key, '^([^:]+):')
  person[host] = request[host]
end
redis.call('HSET', KEYS[4], id, cjson.encode(person))
for _, key in ipairs(logins) do redis.call('HSET', KEYS[1], key, id) end
-- A host account proven at sign-up belongs to this person from now on, by the host's id: a
-- rename is followed, and whoever takes the freed login later is not them.
if type(request.proven) == 'table' then
  for host, account in pairs(request.proven) do redis.call('HSET', KEYS[8], host .. ':' .. account, id) end
end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(request))
redis.call('XADD', KEYS[6], '*', 'entry', cjson.encode({action = 'approve_sign_up', request = ARGV[1], person = id, actor = ARGV[6], at = now}))
return {'approved', id}
