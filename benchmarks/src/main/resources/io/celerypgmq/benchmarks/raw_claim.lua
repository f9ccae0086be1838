-- The raw limit's claim: pop up to ARGV[1] messages from KEYS[1] and keep them in the in-flight list KEYS[2]
-- (so a crash loses nothing), in one atomic step. No source prefix, no priority lists: the least a safe hop does.
local got = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if not got then return {} end
for i = 1, #got do
  redis.call('LPUSH', KEYS[2], got[i])
end
return got
