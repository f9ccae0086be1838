-- Finishes a batch after its Postgres transaction committed: pushes the messages routed to Celery onto their lists
-- and forgets the in-flight list, in one atomic step, so a crash leaves either all of it to redo or none.
-- KEYS[1] = in-flight list; KEYS[i + 1] = the Celery list for message ARGV[i].
for i = 1, #ARGV do
  redis.call('LPUSH', KEYS[i + 1], ARGV[i])
end
redis.call('DEL', KEYS[1])
return #ARGV
