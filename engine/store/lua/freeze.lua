-- An organizer's freeze or unfreeze.
-- KEYS[1] manual freeze, KEYS[2] unfrozen flag, KEYS[3] set of frozen boards, KEYS[4] audit,
-- then the frozen copy of each of the contest's boards. ARGV[1] "freeze" or "unfreeze",
-- ARGV[2] now (s), ARGV[3] "1" when freeze_at has passed, ARGV[4] audit entry.
-- Returns "applied" or "unchanged".
local frozen = public_frozen(ARGV[3], KEYS[1], KEYS[2])
if ARGV[1] == 'freeze' then
  if frozen then return 'unchanged' end
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('DEL', KEYS[2])
  -- Copies from an earlier freeze are stale: the next change takes fresh ones.
  for i = 5, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('DEL', KEYS[3])
else
  if not frozen then return 'unchanged' end
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('DEL', KEYS[1])
end
redis.call('XADD', KEYS[4], '*', 'entry', ARGV[4])
return 'applied'
