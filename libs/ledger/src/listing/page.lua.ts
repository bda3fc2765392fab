/**
 * One page of the Redis listing in one round trip, never reading every config's row.
 *
 * KEYS: configs, names, meta, then the index sorted sets the filter selects (the `order` set
 * when there is no filter). ARGV: offset, last rank (offset + limit - 1), limit, folded search
 * needle ('' for none). Returns { total, as_of or '', snapshot or false per page id }, or
 * {'not_ready'} while the meta seq is absent (Redis emptied, the resync not done yet).
 *
 * One set and no search: ZCARD + ZREVRANGE, O(log n + page). Otherwise the smallest set is
 * walked in listing order (score desc, member bytes desc, as every set shares the scores),
 * testing membership of the others and the folded name (plain, byte-wise find): O(size of
 * the smallest set), reading only the name index.
 */
export const PAGE_LUA = `
if redis.call('HEXISTS', KEYS[3], 'seq') == 0 then return {'not_ready'} end
local offset = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local needle = ARGV[4]
local sets = {}
for i = 4, #KEYS do sets[#sets + 1] = KEYS[i] end
local total = 0
local ids = {}
if #sets == 1 and needle == '' then
  total = redis.call('ZCARD', sets[1])
  ids = redis.call('ZREVRANGE', sets[1], ARGV[1], ARGV[2])
else
  local driver = 1
  local size = redis.call('ZCARD', sets[1])
  for i = 2, #sets do
    local n = redis.call('ZCARD', sets[i])
    if n < size then driver, size = i, n end
  end
  local chunk = 500
  for start = 0, size - 1, chunk do
    local members = redis.call('ZREVRANGE', sets[driver], start, start + chunk - 1)
    local names = nil
    if needle ~= '' then names = redis.call('HMGET', KEYS[2], unpack(members)) end
    for j, id in ipairs(members) do
      local ok = names == nil or (names[j] and string.find(names[j], needle, 1, true) ~= nil)
      for i = 1, #sets do
        if ok and i ~= driver and not redis.call('ZSCORE', sets[i], id) then ok = false end
      end
      if ok then
        if total >= offset and #ids < limit then ids[#ids + 1] = id end
        total = total + 1
      end
    end
  end
end
local out = { total, redis.call('HGET', KEYS[3], 'as_of') or '' }
if #ids > 0 then
  local snapshots = redis.call('HMGET', KEYS[1], unpack(ids))
  for i = 1, #ids do out[#out + 1] = snapshots[i] end
end
return out`;
