/**
 * One admission hold carried into another read-model version's slot (see carryHolds).
 *
 * KEYS: holds, expiries, answer, then the target's pool of each part of the hold.
 * ARGV: request id, expires-at ms, answer record ('' if gone), answer ttl ms, then (amount,
 *       pool ttl ms) per pool.
 * Returns 1 if carried, 0 if the target already knows the request (it holds it, or decided it
 * itself: a gateway that asked again after the switch).
 */
export const CARRY_HOLD_LUA = `
local holds, expiries, answer = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
if redis.call('HEXISTS', holds, id) == 1 then return 0 end
if redis.call('EXISTS', answer) == 1 then return 0 end
local parts = {}
for i = 4, #KEYS do
  local base = 5 + (i - 4) * 2
  redis.call('INCRBY', KEYS[i], ARGV[base])
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[base + 1]) end
  parts[#parts + 1] = KEYS[i]
  parts[#parts + 1] = ARGV[base]
end
redis.call('HSET', holds, id, cjson.encode(parts))
redis.call('ZADD', expiries, ARGV[2], id)
if ARGV[3] ~= '' then redis.call('SET', answer, ARGV[3], 'PX', ARGV[4]) end
return 1`;
