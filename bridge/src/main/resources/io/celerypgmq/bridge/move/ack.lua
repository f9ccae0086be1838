-- Finishes a batch after its Postgres transaction committed: pushes the messages routed to Celery onto their lists
-- and forgets the batch's entries in the in-flight list, in one atomic step, so a crash leaves either all of it to
-- redo or none.
-- KEYS[1] = in-flight list; KEYS[i + 1] = the Celery list for message ARGV[i]; the last ARGV = how many entries to
-- forget, taken from the tail (the oldest: claims LPUSH at the head), or "all". A pipelined pump has the next batch
-- claimed at the head while this one is finished.
local n = #ARGV - 1
for i = 1, n do
  redis.call('LPUSH', KEYS[i + 1], ARGV[i])
end
local forget = ARGV[#ARGV]
if forget == 'all' then
  redis.call('DEL', KEYS[1])
else
  redis.call('LTRIM', KEYS[1], 0, -(tonumber(forget) + 1))
end
return n
