-- Keeps a submission token's digest for its participant and audits it.
-- KEYS[1] token digests, KEYS[2] audit stream; ARGV[1] digest, ARGV[2] participant, ARGV[3] audit entry.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[3])
return 1
