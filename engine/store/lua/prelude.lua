-- Prepended to every script at build time. The contest's key layout, as
-- engine/store/store_keys.hpp defines it (prefix "lb:{<contest>}:"), and the freeze rule.
local function board_key(prefix, board) return prefix .. 'board:' .. board end
local function frozen_key(prefix, board) return prefix .. 'frozen:' .. board end
-- "teams" and "teams:<kind>" rows of a team count the same awards: one shared set.
local function contributors_key(prefix, board, member)
  return prefix .. 'ctr:' .. (board:sub(1, 6) == 'teams:' and 'teams' or board) .. ':' .. member
end
local function pending_key(prefix, login) return prefix .. 'pending:' .. login end
local function subjects_key(prefix, participant) return prefix .. 'subjects:' .. participant end
local function delivery_key(prefix, delivery) return prefix .. 'delivery:' .. delivery end

-- The public boards are frozen once freeze_at has passed or an organizer froze them, until an
-- organizer unfreezes them. freeze_time_passed: the caller's clock, "1" or "0".
local function public_frozen(freeze_time_passed, frozen_now, unfrozen)
  return (freeze_time_passed == '1' or redis.call('EXISTS', frozen_now) == 1) and redis.call('EXISTS', unfrozen) == 0
end
