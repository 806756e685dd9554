-- The people who ever moved chapters, with their records: {id, record, id, record, ...} (an id
-- whose record is gone is left out). KEYS[1] the set of movers, KEYS[2] people.
local ids = redis.call('SMEMBERS', KEYS[1])
local out = {}
for _, id in ipairs(ids) do
  local record = redis.call('HGET', KEYS[2], id)
  if record then out[#out + 1] = id; out[#out + 1] = record end
end
return out
