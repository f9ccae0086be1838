-- Moves chosen entries of kombu's unacked hash into a replay job's in-flight list, atomically, the way kombu's own
-- restore takes them (HGET, then ZREM + HDEL), but into the in-flight list instead of back onto the queue.
-- KEYS[1] = in-flight list; KEYS[2] = unacked hash; KEYS[3] = unacked_index zset; KEYS[4] = unacked_mutex.
-- ARGV[1] = cutoff: only entries delivered at or before this epoch second are taken (now - visibility timeout, or
-- a far-future value once every worker is stopped); ARGV[2..] = delivery tags.
-- While a Celery worker holds unacked_mutex it is restoring; kombu < 5.3 WATCHes the wrong key under a global key
-- prefix, so taking entries then could let both of us move one message. Returns false (nil) in that case.
-- The in-flight element is "<len(hash)>:<hash><unacked value>"; the value stays [envelope, exchange, routing_key].
-- Returns the tags taken.
if redis.call('EXISTS', KEYS[4]) == 1 then
  return false
end
local cutoff = tonumber(ARGV[1])
local taken = {}
for i = 2, #ARGV do
  local tag = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[3], tag)
  if score and tonumber(score) <= cutoff then
    local value = redis.call('HGET', KEYS[2], tag)
    redis.call('ZREM', KEYS[3], tag)
    if value then
      redis.call('HDEL', KEYS[2], tag)
      redis.call('LPUSH', KEYS[1], string.len(KEYS[2]) .. ':' .. KEYS[2] .. value)
      taken[#taken + 1] = tag
    end
  end
end
return taken
