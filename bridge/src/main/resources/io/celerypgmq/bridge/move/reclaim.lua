-- Takes over an orphaned in-flight list (its instance stopped heart-beating) by renaming it to the caller's
-- recovery list, only if the caller's recovery list is empty. Returns 1 when taken, 0 otherwise.
-- KEYS[1] = orphaned in-flight list; KEYS[2] = the caller's recovery list.
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1
