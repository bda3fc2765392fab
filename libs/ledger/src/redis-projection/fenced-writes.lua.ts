/**
 * Redis gets absolute values fenced by a version, never increments: a replayed or reordered
 * write cannot double a counter, and an older write cannot overwrite a newer one.
 * Every script touches the keys of one read-model version only: one hash tag, one slot.
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

/**
 * A write that changes configs moves meta `config_gen` on, so admission config caches see it
 * (the admission script refuses a plan made at another generation). After a flush it restarts
 * from the server clock in microseconds, never from a value a cache may still hold.
 */
const BUMP_CONFIG_GEN = `
local function bump_config_gen(meta)
  if redis.call('HEXISTS', meta, 'config_gen') == 0 then
    local t = redis.call('TIME')
    redis.call('HSET', meta, 'config_gen', t[1] .. string.format('%06d', t[2]))
  end
  redis.call('HINCRBY', meta, 'config_gen', 1)
end`;

/**
 * Keeps the identity index (identity -> config id) that admissions read instead of every
 * config. Rows written before the index existed have no identity (row[6]): nothing to drop.
 */
const IDENTITY_INDEX = `
local function unindex_identity(identities, id, row)
  if row[6] and redis.call('HGET', identities, row[6]) == id then
    redis.call('HDEL', identities, row[6])
  end
end`;

/**
 * KEYS: configs, versions, listing, names, order, identities. ARGV: the version's key base,
 * then quads (id, version, snapshot or '', listing row or ''). A listing row is the JSON array
 * [created_at ms as a string, scope, scope_id, provider, folded model name, identity]. The per-value
 * index sets (`scope:<v>`, `scope-id:<v>`, `provider:<v>`) are named from the base: which
 * ones hold a config is only known here, from its previous listing row (same slot).
 */
function setConfigsLua(fence: '>' | '>='): string {
  return `${BUMP_CONFIG_GEN}${IDENTITY_INDEX}
local base = ARGV[1]
local function indexKeys(row)
  local keys = { KEYS[5], base .. 'scope:' .. row[2] }
  if row[3] ~= cjson.null then keys[#keys + 1] = base .. 'scope-id:' .. row[3] end
  if row[4] ~= cjson.null then keys[#keys + 1] = base .. 'provider:' .. row[4] end
  return keys
end
local function unindex(id)
  local previous = redis.call('HGET', KEYS[3], id)
  if not previous then return end
  local row = cjson.decode(previous)
  for _, key in ipairs(indexKeys(row)) do redis.call('ZREM', key, id) end
  unindex_identity(KEYS[6], id, row)
  redis.call('HDEL', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
end
local written = 0
for i = 2, #ARGV, 4 do
  local id = ARGV[i]
  local version = tonumber(ARGV[i + 1])
  local current = tonumber(redis.call('HGET', KEYS[2], id) or '-1')
  if version ${fence} current then
    unindex(id)
    if ARGV[i + 2] == '' then
      redis.call('HDEL', KEYS[1], id)
    else
      local row = cjson.decode(ARGV[i + 3])
      redis.call('HSET', KEYS[1], id, ARGV[i + 2])
      redis.call('HSET', KEYS[3], id, ARGV[i + 3])
      redis.call('HSET', KEYS[4], id, row[5])
      redis.call('HSET', KEYS[6], row[6], id)
      for _, key in ipairs(indexKeys(row)) do redis.call('ZADD', key, row[1], id) end
    end
    redis.call('HSET', KEYS[2], id, ARGV[i + 1])
    written = written + 1
  end
end
if written > 0 then bump_config_gen(base .. 'meta') end
return written`;
}

export const SET_CONFIGS_LUA = setConfigsLua('>');

/**
 * The same, rewriting a config of the version Redis already holds too: for a Redis of an older
 * layout (see REDIS_LAYOUT), whose rows lack what this release indexes. The same version has
 * the same content, so this changes the layout only; an older version still never lands.
 */
export const REWRITE_CONFIGS_LUA = setConfigsLua('>=');

/**
 * KEYS: configs, versions, listing, names, order, identities. ARGV: base, ids to drop (not in
 * PostgreSQL).
 */
export const DROP_CONFIGS_LUA = `${BUMP_CONFIG_GEN}${IDENTITY_INDEX}
local base = ARGV[1]
for i = 2, #ARGV do
  local id = ARGV[i]
  local previous = redis.call('HGET', KEYS[3], id)
  if previous then
    local row = cjson.decode(previous)
    redis.call('ZREM', KEYS[5], id)
    redis.call('ZREM', base .. 'scope:' .. row[2], id)
    if row[3] ~= cjson.null then redis.call('ZREM', base .. 'scope-id:' .. row[3], id) end
    if row[4] ~= cjson.null then redis.call('ZREM', base .. 'provider:' .. row[4], id) end
    unindex_identity(KEYS[6], id, row)
  end
  redis.call('HDEL', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
end
if #ARGV > 1 then bump_config_gen(base .. 'meta') end
return #ARGV - 1`;

/**
 * KEYS: meta. ARGV: seq, as_of (epoch ms or ''). Moves forward only, and only when the meta
 * `seq` is there: a batch write never creates it. On an emptied Redis (restart, FLUSHALL) a
 * batch holds its own changes only; a seq it created would tell the resync that Redis holds
 * everything up to it, and the full rewrite would be skipped. The seq is only created by the
 * resync (SET_META_CREATING_LUA), once it has copied everything up to that seq.
 */
export const SET_META_LUA = `
local current = redis.call('HGET', KEYS[1], 'seq')
if current and tonumber(ARGV[1]) >= tonumber(current) then
  redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'as_of', ARGV[2])
  return 1
end
return 0`;

/**
 * KEYS: meta. ARGV: seq, as_of (epoch ms or ''), layout. The resync's: creates the seq, or
 * moves it on, and stamps the layout it has written.
 */
export const SET_META_CREATING_LUA = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if tonumber(ARGV[1]) >= current then
  redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'as_of', ARGV[2], 'layout', ARGV[3])
  return 1
end
return 0`;
