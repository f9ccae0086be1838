-- Atomically moves up to ARGV[1] messages, and no more than ARGV[2] bytes of them (at least one message), from the
-- source lists into this pump's in-flight list: a batch of very large messages stays within the pump's memory.
-- KEYS[1] = in-flight list; KEYS[2..n] = source lists in kombu's consumption order (priority step, then queue).
-- Each in-flight element is "<len(source)>:<source><raw message>" so a restarted pump knows where it came from.
-- Returns a flat array: source, raw, source, raw, ... in claim order. Messages are popped from the tail (RPOP),
-- which is the order Celery's BRPOP consumes them, so FIFO per list is kept.
local limit = tonumber(ARGV[1])
local max_bytes = tonumber(ARGV[2] or '-1')
local out = {}
local n = 0
local bytes = 0
local full = false
for i = 2, #KEYS do
  local src = KEYS[i]
  while n < limit do
    local msg = redis.call('RPOP', src)
    if not msg then break end
    redis.call('LPUSH', KEYS[1], string.len(src) .. ':' .. src .. msg)
    out[#out + 1] = src
    out[#out + 1] = msg
    n = n + 1
    bytes = bytes + string.len(msg)
    if max_bytes >= 0 and bytes >= max_bytes then
      full = true
      break
    end
  end
  if full or n >= limit then break end
end
return out
