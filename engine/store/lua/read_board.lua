-- Reads a range of a board, from its frozen copy when the caller asks for the public view.
-- KEYS[1] live board, KEYS[2] frozen copy, KEYS[3] set of frozen boards, KEYS[4] the "unfrozen"
-- flag, KEYS[5] the manual freeze. ARGV[1] "" for the admin (live) view, else the public view:
-- "1" when freeze_at has passed, "0" before; ARGV[2] board name, ARGV[3..4] range.
-- Returns {total, {member, score, ...}, 1 if the public view is frozen, 1 if it read the frozen copy}.
local key = KEYS[1]
local frozen = ARGV[1] ~= '' and public_frozen(ARGV[1], KEYS[5], KEYS[4])
local copy = frozen and redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 1
if copy then key = KEYS[2] end
return {redis.call('ZCARD', key), redis.call('ZRANGE', key, ARGV[3], ARGV[4], 'WITHSCORES'), frozen and 1 or 0, copy and 1 or 0}
