import { windowEnd } from '@app/governance';
import { RedisKeys, SET_CONFIGS_LUA, SET_COUNTERS_LUA, SET_META_LUA } from '@app/redis';
import Redis from 'ioredis';
import { ConfigChange } from '../apply-batch/applied-batch';
import { ConfigIndex } from '../config-index/config-index';
import { CounterValue } from '../snapshot/config-snapshot';
import { encodeListingRow, encodeSnapshot } from './redis-config-row';

export interface RedisProjection {
  configs: readonly ConfigChange[];
  counters: readonly CounterValue[];
  lastSeq: number;
  asOf: Date | null;
}

// Past its window a counter is never read again; the grace covers clocks a little apart.
const COUNTER_TTL_GRACE_MS = 60_000;
const CHUNK = 500;

/** Writes absolute, versioned values; safe to repeat, safe to run out of order. */
export class RedisProjectionWriter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async write(p: RedisProjection, index: ConfigIndex, now = new Date()): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < p.configs.length; i += CHUNK) {
      const args = p.configs.slice(i, i + CHUNK).flatMap((c) => configArgs(c));
      const keys = [this.keys.configs, this.keys.configIndex, this.keys.configVersions];
      pipeline.eval(SET_CONFIGS_LUA, keys.length, ...keys, ...args);
    }
    const live = this.liveCounters(p.counters, index, now);
    for (let i = 0; i < live.length; i += CHUNK) {
      const chunk = live.slice(i, i + CHUNK);
      const keys = chunk.map((c) => this.keys.counter(c.counterKey, c.windowStart.getTime()));
      const args = chunk.flatMap((c) => [String(c.version), c.value.toString(), String(c.ttlMs)]);
      pipeline.eval(SET_COUNTERS_LUA, keys.length, ...keys, ...args);
    }
    pipeline.eval(
      SET_META_LUA,
      1,
      this.keys.meta,
      String(p.lastSeq),
      String(p.asOf?.getTime() ?? ''),
    );
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  private liveCounters(counters: readonly CounterValue[], index: ConfigIndex, now: Date) {
    const live: (CounterValue & { ttlMs: number })[] = [];
    for (const counter of counters) {
      const limit = index.limitOf(counter.counterKey);
      if (!limit) continue; // its config is gone
      const ttlMs = windowEnd(limit, counter.windowStart).getTime() - now.getTime();
      if (ttlMs > 0) live.push({ ...counter, ttlMs: ttlMs + COUNTER_TTL_GRACE_MS });
    }
    return live;
  }
}

function configArgs(change: ConfigChange): string[] {
  const snapshot = change.snapshot;
  return snapshot
    ? [change.id, String(change.version), encodeSnapshot(snapshot), encodeListingRow(snapshot)]
    : [change.id, String(change.version), '', ''];
}
