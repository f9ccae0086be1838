-- Pushes messages back onto Celery lists at most once each (reverse bridge, rollback replay).
-- For message i: KEYS[2i-1] = its idempotency marker, KEYS[2i] = the Celery list; ARGV[i] = the message;
-- ARGV[n+1] = marker lifetime in seconds. The marker and the LPUSH happen together, so a crash between this push
-- and the archive in pgmq finds the marker on redo and does not push a second copy.
-- Redis does not undo a script's earlier writes when a later command fails, so every list is checked before anything
-- is written (a key of another type fails the whole call, writing nothing), and each marker is set only after its
-- push: a marker never stands for a message that was not pushed.
-- Returns one flag per message: 1 pushed now, 0 already pushed earlier.
local n = #KEYS / 2
local ttl = tonumber(ARGV[n + 1])
local checked = {}
for i = 1, n do
  local list = KEYS[2 * i]
  if not checked[list] then
    checked[list] = true
    local t = redis.call('TYPE', list)['ok']
    if t ~= 'list' and t ~= 'none' then
      return redis.error_reply('WRONGTYPE ' .. list .. ' holds a ' .. t .. ', not a Celery list; nothing pushed')
    end
  end
end
local out = {}
for i = 1, n do
  if redis.call('EXISTS', KEYS[2 * i - 1]) == 0 then
    redis.call('LPUSH', KEYS[2 * i], ARGV[i])
    redis.call('SET', KEYS[2 * i - 1], '1', 'EX', ttl)
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
