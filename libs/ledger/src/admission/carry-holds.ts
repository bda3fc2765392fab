import { RedisClient } from '@app/redis';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { AdmissionKeys } from './admission-keys';
import { CARRY_HOLD_LUA } from './carry-holds.lua';

/** Holds read per HSCAN page: one read pipeline and one write pipeline each. */
const PAGE = 200;
// A pool without a ttl left (it expires this instant) still gets one in the target.
const MIN_POOL_TTL_MS = 1_000;

/**
 * Copies the active admission holds of one read-model version into another's Redis slot, so
 * a switch does not forget what gateways reserved: without it the new version would admit
 * again everything held on the old one until those holds expire (`hold_for`, 60 s by default).
 * Pools are summed in the target and each hold's answer goes with it (a repeated request
 * answers as before). A request the target already holds or decided is left alone, so the
 * copy can run twice. Slots differ (each version has its own hash tag), so reads and writes go
 * in separate pipelines: holds released or settled on the source while this runs may arrive
 * in the target after they are gone (they expire at their `expires_at`: a later refusal, never
 * an over-admission).
 */
export async function carryHolds(
  redis: RedisClient,
  from: ReadModelVersion,
  to: ReadModelVersion,
  now = new Date(),
): Promise<number> {
  const source = new AdmissionKeys(from.keys);
  const target = new AdmissionKeys(to.keys);
  let carried = 0;
  let cursor = '0';
  do {
    const [next, entries] = await redis.hscan(source.holds, cursor, 'COUNT', PAGE);
    cursor = next;
    const holds: { id: string; parts: string[] }[] = [];
    for (let i = 0; i < entries.length; i += 2) {
      holds.push({ id: entries[i], parts: JSON.parse(entries[i + 1]) as string[] });
    }
    carried += await carryPage(redis, holds, source, target, from, to, now);
  } while (cursor !== '0');
  return carried;
}

async function carryPage(
  redis: RedisClient,
  holds: readonly { id: string; parts: string[] }[],
  source: AdmissionKeys,
  target: AdmissionKeys,
  from: ReadModelVersion,
  to: ReadModelVersion,
  now: Date,
): Promise<number> {
  if (holds.length === 0) return 0;
  const read = redis.pipeline();
  for (const { id, parts } of holds) {
    read.zscore(source.expiries, id).get(source.answer(id)).pttl(source.answer(id));
    for (let j = 0; j < parts.length; j += 2) read.pttl(parts[j]);
  }
  const results = (await read.exec()) ?? [];
  const write = redis.pipeline();
  let r = 0;
  let queued = 0;
  for (const { id, parts } of holds) {
    const expiresAt = Number(results[r++][1]);
    const answer = results[r++][1] as string | null;
    const answerTtl = Number(results[r++][1]);
    const pools: string[] = [];
    const args: string[] = [];
    for (let j = 0; j < parts.length; j += 2) {
      if (!parts[j].startsWith(from.keys.base))
        throw new Error(`hold ${id}: pool ${parts[j]} is not in ${from.keys.base}`);
      pools.push(to.keys.base + parts[j].slice(from.keys.base.length));
      args.push(parts[j + 1], String(Math.max(MIN_POOL_TTL_MS, Number(results[r++][1]))));
    }
    if (!(expiresAt > now.getTime())) continue; // expired or gone meanwhile
    const keys = [target.holds, target.expiries, target.answer(id), ...pools];
    const ttl = String(Math.max(1, answerTtl));
    write.eval(
      CARRY_HOLD_LUA,
      keys.length,
      ...keys,
      id,
      String(expiresAt),
      answer ?? '',
      ttl,
      ...args,
    );
    queued += 1;
  }
  if (queued === 0) return 0;
  const written = (await write.exec()) ?? [];
  const failed = written.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  return written.reduce((n, [, carried]) => n + Number(carried), 0);
}
