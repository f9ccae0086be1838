-- Pushes messages back onto Celery lists at most once each (reverse bridge, rollback replay).
-- For message i: KEYS[2i-1] = its idempotency marker, KEYS[2i] = the Celery list; ARGV[i] = the message;
-- ARGV[n+1] = marker lifetime in seconds. The marker and the LPUSH happen together, so a crash between this push
-- and the archive in pgmq finds the marker on redo and does not push a second copy.
-- Returns one flag per message: 1 pushed now, 0 already pushed earlier.
local n = #KEYS / 2
local ttl = tonumber(ARGV[n + 1])
local out = {}
for i = 1, n do
  if redis.call('SET', KEYS[2 * i - 1], '1', 'NX', 'EX', ttl) then
    redis.call('LPUSH', KEYS[2 * i], ARGV[i])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
