-- An organizer voids a ballot with a reason: kept (marked), no longer counted, audited; raises the vote's version.
-- KEYS[1] the vote's ballots (hash), KEYS[2] its version, KEYS[3] audit stream, KEYS[4] its count of voided
-- ballots; ARGV[1] the voter's community id,
-- ARGV[2] the reason, ARGV[3] who voided it, ARGV[4] the audit entry.
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if not kept then return 'missing' end
local ballot = cjson.decode(kept)
if ballot.voided then return 'voided' end
ballot.voided = true
ballot.void_reason = ARGV[2]
ballot.voided_by = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(ballot))
redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[4])
redis.call('XADD', KEYS[3], '*', 'entry', ARGV[4])
return 'ok'
