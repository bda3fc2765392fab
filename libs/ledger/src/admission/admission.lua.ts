/**
 * Admission in Redis: holds are leases beside the committed counters, never usage. Amounts are
 * compared as Lua numbers (doubles: exact up to 2^53, i.e. $9,007,199 of nano-dollars per
 * window) but stored and returned as the strings they came in as, so nothing is rounded.
 */
import { REDIS_LAYOUT } from '../read-model-version/redis-keys';

/**
 * Removes the holds of some requests from every pool they hold; a missing hold is a no-op, and
 * an id given twice is dropped once. A pool that is gone (past its window) is not brought back:
 * DECRBY creates it below zero and it is deleted at once, as one that reaches zero is. Holds
 * are read and removed a hundred at a time (one HMGET, HDEL, ZREM each), not one by one: a
 * redis.call costs a script 2-3 µs of Redis CPU whatever the command (measured), several
 * times the work of a GET or a DECRBY itself.
 */
const DROP_HOLDS = `
local function drop_holds(holds, expiries, ids)
  local dropped, seen = 0, {}
  for from = 1, #ids, 100 do
    local batch = {}
    for i = from, math.min(from + 99, #ids) do
      if not seen[ids[i]] then
        seen[ids[i]] = true
        batch[#batch + 1] = ids[i]
      end
    end
    if #batch > 0 then
      local held = redis.call('HMGET', holds, unpack(batch))
      for i = 1, #batch do
        if held[i] then
          dropped = dropped + 1
          local parts = cjson.decode(held[i])
          for j = 1, #parts, 2 do
            if redis.call('DECRBY', parts[j], parts[j + 1]) <= 0 then
              redis.call('DEL', parts[j])
            end
          end
        end
      end
      redis.call('HDEL', holds, unpack(batch))
      redis.call('ZREM', expiries, unpack(batch))
    end
  end
  return dropped
end`;

/**
 * Check every limit and hold on all of them, or on none: one script, so concurrent admissions
 * are serialized and exactly as many fit as there is room for.
 *
 * KEYS: meta, answer, holds, expiries, then (counter, pool) per limit.
 * ARGV: config generation seen, now ms, hold ms, request id, expires-at ms, limit descriptors
 *       (opaque JSON stored with the answer), pool TTL grace ms, then (amount, max, resets-at
 *       ms) per limit.
 * Returns {'not_ready'} | {'stale', generation} | {'repeat', record} | {'decided', record}.
 * A limit is exceeded when committed + held + amount > max; a request holding nothing (no
 * estimate) is refused once committed + held >= max (Bifrost's `usage >= max`).
 */
export const ADMIT_LUA = `${DROP_HOLDS}
local meta, answer_key, holds, expiries = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local previous = redis.call('GET', answer_key)
if previous then return {'repeat', previous} end
-- No layout stamp (it comes with the meta seq): Redis was emptied and the resync has not
-- rewritten it yet (a batch written since holds its own configs only). An older stamp: the
-- identity index may miss configs until the resync's rewrite; matching none would admit all.
local stamp = redis.call('HMGET', meta, 'layout', 'config_gen')
if stamp[1] ~= '${REDIS_LAYOUT}' then return {'not_ready'} end
local gen = stamp[2] or '0'
if gen ~= ARGV[1] then return {'stale', gen} end

local now, hold_ms, id = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
-- Expired holds are dropped lazily, a bounded number per call; any left count until then.
-- Ten, not more: after a burst, dropping 100 holds of 7 pools each made every admission of
-- the next half second a millisecond of Redis, the p99 spike at 1,000/s. Ten per call still
-- clears expiries arriving at up to ten times the admission rate.
local expired = redis.call('ZRANGEBYSCORE', expiries, '-inf', now, 'LIMIT', 0, 10)
if #expired > 0 then drop_holds(holds, expiries, expired) end

local n = (#KEYS - 4) / 2
local grace = tonumber(ARGV[7])
-- Every counter and pool in one read (after the expired holds left their pools).
local values = n > 0 and redis.call('MGET', unpack(KEYS, 5)) or {}
local committed, reserved, blocked, new_pool = {}, {}, {}, {}
local answer_ttl = hold_ms
for i = 1, n do
  local base = 8 + (i - 1) * 3
  local raw = values[2 * i - 1]
  local used = '0'
  if raw then used = string.sub(raw, string.find(raw, ':', 1, true) + 1) end
  local pooled = values[2 * i]
  -- Every writer of a pool gives it its TTL when it creates it (the window's end, the same
  -- for every admission of that window), so only a new pool needs one.
  new_pool[i] = not pooled
  local held = pooled or '0'
  committed[i], reserved[i] = used, held
  local amount, max = tonumber(ARGV[base]), tonumber(ARGV[base + 1])
  local total = tonumber(used) + tonumber(held)
  if (amount == 0 and total >= max) or (amount > 0 and total + amount > max) then
    blocked[#blocked + 1] = i
    -- A refusal is remembered until the earliest blocking window resets, at most the hold.
    answer_ttl = math.min(answer_ttl, math.max(1, tonumber(ARGV[base + 2]) - now))
  end
end

local allowed = #blocked == 0
if allowed then
  local parts = {}
  for i = 1, n do
    local base = 8 + (i - 1) * 3
    local pool = KEYS[4 + 2 * i]
    if tonumber(ARGV[base]) > 0 then
      redis.call('INCRBY', pool, ARGV[base])
      if new_pool[i] then
        -- Past its window a pool is never read again; the grace covers clocks a little apart.
        local ttl = tonumber(ARGV[base + 2]) - now + grace
        redis.call('PEXPIRE', pool, string.format('%.0f', ttl))
      end
      parts[#parts + 1] = pool
      parts[#parts + 1] = ARGV[base]
    end
  end
  -- Kept even when empty, so release and settlement treat every admitted request alike.
  redis.call('HSET', holds, id, cjson.encode(parts))
  redis.call('ZADD', expiries, ARGV[5], id)
end
local record = cjson.encode({allowed and 'allowed' or 'blocked', ARGV[5], ARGV[6],
  committed, reserved, blocked, ARGV[2]})
redis.call('SET', answer_key, record, 'PX', answer_ttl)
return {'decided', record}`;

/** KEYS: holds, expiries, answer. ARGV: request id. Returns 1 if a hold was released. */
export const RELEASE_LUA = `${DROP_HOLDS}
local released = drop_holds(KEYS[1], KEYS[2], {ARGV[1]})
-- The call was never sent: a new admission with the same id is decided afresh.
if released == 1 then redis.call('DEL', KEYS[3]) end
return released`;

/** KEYS: holds, expiries. ARGV: request ids whose usage was applied. Idempotent. */
export const SETTLE_LUA = `${DROP_HOLDS}
return drop_holds(KEYS[1], KEYS[2], ARGV)`;

/**
 * The configs holding some identities, with the config generation they were read at, in one
 * step. KEYS: meta, identities, configs. ARGV: identity keys. Returns {generation, snapshot or
 * '' per identity}; the generation is '0' before any config write, as ADMIT_LUA reads it.
 */
export const READ_IDENTITIES_LUA = `
local out = { redis.call('HGET', KEYS[1], 'config_gen') or '0' }
local ids = redis.call('HMGET', KEYS[2], unpack(ARGV))
for i = 1, #ARGV do
  local snapshot = ids[i] and redis.call('HGET', KEYS[3], ids[i])
  out[i + 1] = snapshot or ''
end
return out`;
