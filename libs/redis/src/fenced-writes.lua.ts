/**
 * Redis gets absolute values fenced by a version, never increments: a replayed or reordered
 * write cannot double a counter, and an older write cannot overwrite a newer one.
 */

/** KEYS: counter keys. ARGV: triples (version, value, ttlMs) in KEYS order. */
export const SET_COUNTERS_LUA = `
local written = 0
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 3
  local version = tonumber(ARGV[base + 1])
  local current = redis.call('GET', key)
  local currentVersion = -1
  if current then currentVersion = tonumber(string.match(current, '^(%d+):')) end
  if version > currentVersion then
    redis.call('SET', key, ARGV[base + 1] .. ':' .. ARGV[base + 2], 'PX', ARGV[base + 3])
    written = written + 1
  end
end
return written`;

/** KEYS: configs, index, versions. ARGV: quads (id, version, snapshot or '', index row). */
export const SET_CONFIGS_LUA = `
local written = 0
for i = 1, #ARGV, 4 do
  local id = ARGV[i]
  local version = tonumber(ARGV[i + 1])
  local current = tonumber(redis.call('HGET', KEYS[3], id) or '-1')
  if version > current then
    if ARGV[i + 2] == '' then
      redis.call('HDEL', KEYS[1], id)
      redis.call('HDEL', KEYS[2], id)
    else
      redis.call('HSET', KEYS[1], id, ARGV[i + 2])
      redis.call('HSET', KEYS[2], id, ARGV[i + 3])
    end
    redis.call('HSET', KEYS[3], id, ARGV[i + 1])
    written = written + 1
  end
end
return written`;

/** KEYS: meta. ARGV: seq, as_of (epoch ms or ''). Moves forward only. */
export const SET_META_LUA = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if tonumber(ARGV[1]) >= current then
  redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'as_of', ARGV[2])
  return 1
end
return 0`;
