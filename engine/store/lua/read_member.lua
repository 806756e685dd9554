-- Rank and score of one member on several boards, public or live view.
-- KEYS[1] manual freeze, KEYS[2] unfrozen flag, KEYS[3] set of frozen boards, then for each
-- board its live key and its frozen copy. ARGV[1] the view as in read_board ("" admin, "0"/"1"
-- public), ARGV[2] member, ARGV[3..] the boards' names.
-- Returns per board {rank (0-based) or -1, score or ""}.
local member = ARGV[2]
local frozen_view = ARGV[1] ~= '' and public_frozen(ARGV[1], KEYS[1], KEYS[2])
local out = {}
for i = 3, #ARGV do
  local key = KEYS[4 + (i - 3) * 2]
  if frozen_view and redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then key = KEYS[5 + (i - 3) * 2] end
  local rank = redis.call('ZRANK', key, member)
  local score = redis.call('ZSCORE', key, member)
  out[#out + 1] = {rank or -1, score or ''}
end
return out
