-- Puts snapshot entries back into kombu's unacked hash and index, skipping tags that are already there.
-- KEYS[1] = unacked hash; KEYS[2] = unacked_index zset.
-- ARGV = triples: tag, score (delivery time), value ([envelope, exchange, routing_key]).
-- Returns one flag per entry: 1 restored now, 0 already present.
local out = {}
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 2]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
