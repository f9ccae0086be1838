-- Moves chosen elements of one Celery list into a replay job's in-flight list, atomically.
-- KEYS[1] = in-flight list; KEYS[2] = the Celery list.
-- ARGV[1] = a tombstone no message can equal; then pairs ARGV[2k] = offset from the tail (0 = the element a worker
-- pops next), ARGV[2k+1] = the bytes the caller saw there when it peeked.
-- An element is taken only if it is still exactly where it was seen: a worker popping or kombu restoring in between
-- shifts the list, the bytes no longer match, and the element stays for the next pass. Taken elements are first
-- overwritten with the tombstone, then all removed by one LREM, so the list is walked once per call.
-- The in-flight element is "<len(source)>:<source><raw>", the format the bridge's in-flight list reads.
-- Returns the offsets taken.
local tomb = ARGV[1]
local taken = {}
for i = 2, #ARGV, 2 do
  local index = -(tonumber(ARGV[i]) + 1)
  local raw = ARGV[i + 1]
  if redis.call('LINDEX', KEYS[2], index) == raw then
    redis.call('LSET', KEYS[2], index, tomb)
    redis.call('LPUSH', KEYS[1], string.len(KEYS[2]) .. ':' .. KEYS[2] .. raw)
    taken[#taken + 1] = ARGV[i]
  end
end
if #taken > 0 then
  redis.call('LREM', KEYS[2], -#taken, tomb)
end
return taken
