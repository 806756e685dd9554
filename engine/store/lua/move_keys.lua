-- Moves a recompute's rebuilt keys over the live ones: for each pair (KEYS[i], KEYS[i + 1]) the
-- rebuilt key replaces the live one, or, when nothing was rebuilt under that name, the live
-- key goes. With ARGV[1] set (the last batch: the boards), the hold must still be this
-- recompute's (KEYS[#KEYS - 1], holding ARGV[1]); a marker is logged on the award log
-- (KEYS[#KEYS]) with ARGV[2], the boards, so gateways resend snapshots; the hold is released.
-- Returns the marker's id, or "" for a batch without one.
local last = #KEYS
if ARGV[1] and ARGV[1] ~= '' then
  if redis.call('GET', KEYS[last - 1]) ~= ARGV[1] then
    return redis.error_reply('ERR the hold expired or is not this recompute\'s: nothing swapped')
  end
  last = last - 2
end
for i = 1, last, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('RENAME', KEYS[i], KEYS[i + 1]) else redis.call('DEL', KEYS[i + 1]) end
end
if not ARGV[1] or ARGV[1] == '' then return '' end
local id = redis.call('XADD', KEYS[#KEYS], '*', 'recompute', '1', 'boards', ARGV[2])
redis.call('DEL', KEYS[#KEYS - 1])
return id
