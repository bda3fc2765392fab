import { windowStartMs } from '@app/governance';
import { RedisClient } from '@app/redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigSnapshot } from '../../snapshot/config-snapshot';
import { ReadModelVersion } from '../../read-model-version/read-model-version';
import { decodeCounterValue } from '../../redis-projection/redis-config-row';
import { LISTED_DIFFERENCES } from './compare-tables';

/** One Redis entry that differs: which hash or counter, and both raw values (null: absent). */
export interface RedisDifference {
  key: string;
  field?: string;
  active: string | null;
  candidate: string | null;
}

export interface RedisComparison {
  compared: number;
  different: number;
  listed: RedisDifference[];
}

/** What one comparison reads: a hash field or a counter's value, in both versions. */
interface Probe {
  /** the key relative to the version's base (`configs`, `c:<counter>:<ms>`) */
  name: string;
  field?: string;
}

// The projector writes Redis after its PostgreSQL commit, version by version: under traffic
// the two can differ for a moment. A difference counts only if it is still there after these.
const SETTLE_ROUNDS = 4;
const SETTLE_PAUSE_MS = 250;
const BATCH = 500;

/**
 * Compares the Redis projections of two versions: the configs and listing hashes (every live
 * config), and the counters of the current windows of every live config of
 * either version (value only: the `version:` prefix is a fencing token). `configs` are the live
 * configs of both versions, read from PostgreSQL.
 */
export async function compareRedis(
  redis: RedisClient,
  active: ReadModelVersion,
  candidate: ReadModelVersion,
  configs: readonly ConfigSnapshot[],
  scope: readonly string[] | null,
  now: Date,
): Promise<RedisComparison> {
  const inScope = (id: string) => scope === null || scope.includes(id);
  const probes: Probe[] = [];
  // Not the config-versions hash: its tombstones are fences, which a full resync does not write.
  for (const name of ['configs', 'listing'] as const) {
    const ids = new Set<string>();
    for (const version of [active, candidate]) {
      for (const id of await hashFields(redis, `${version.keys.base}${name}`)) ids.add(id);
    }
    for (const id of [...ids].sort()) if (inScope(id)) probes.push({ name, field: id });
  }
  const counters = new Set<string>();
  for (const snapshot of configs) {
    if (!inScope(snapshot.definition.id)) continue;
    for (const limit of snapshot.limits) {
      counters.add(`c:${limit.counterKey}:${windowStartMs(limit, now)}`);
    }
  }
  probes.push(...[...counters].sort().map((name) => ({ name })));
  let differing = probes;
  let values: [string | null, string | null][] = [];
  for (let round = 0; round < SETTLE_ROUNDS && differing.length > 0; round += 1) {
    if (round > 0) await sleep(SETTLE_PAUSE_MS);
    values = await Promise.all([
      read(redis, active, differing),
      read(redis, candidate, differing),
    ]).then(([a, b]) => a.map((v, i): [string | null, string | null] => [v, b[i]]));
    const next: Probe[] = [];
    const nextValues: [string | null, string | null][] = [];
    differing.forEach((probe, i) => {
      if (!sameValue(probe, values[i][0], values[i][1])) {
        next.push(probe);
        nextValues.push(values[i]);
      }
    });
    differing = next;
    values = nextValues;
  }
  return {
    compared: probes.length,
    different: differing.length,
    listed: differing.slice(0, LISTED_DIFFERENCES).map((p, i) => ({
      key: p.name,
      ...(p.field === undefined ? {} : { field: p.field }),
      active: values[i][0],
      candidate: values[i][1],
    })),
  };
}

function sameValue(probe: Probe, a: string | null, b: string | null): boolean {
  if (probe.field !== undefined) return a === b;
  return decodeCounterValue(a) === decodeCounterValue(b); // absent counts as 0
}

async function read(
  redis: RedisClient,
  version: ReadModelVersion,
  probes: readonly Probe[],
): Promise<(string | null)[]> {
  const values: (string | null)[] = [];
  for (let i = 0; i < probes.length; i += BATCH) {
    const pipeline = redis.pipeline();
    for (const p of probes.slice(i, i + BATCH)) {
      const key = `${version.keys.base}${p.name}`;
      if (p.field === undefined) pipeline.get(key);
      else pipeline.hget(key, p.field);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error, value] of results) {
      if (error) throw error;
      values.push(value as string | null);
    }
  }
  return values;
}

/** HSCAN in pages: the configs hash can hold 100,000 entries. */
async function hashFields(redis: RedisClient, key: string): Promise<string[]> {
  const fields: string[] = [];
  let cursor = '0';
  do {
    const [next, entries] = await redis.hscan(key, cursor, 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i < entries.length; i += 2) fields.push(entries[i]);
  } while (cursor !== '0');
  return fields;
}
