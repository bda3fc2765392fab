import { windowStart } from '@app/governance';
import { RedisKeys } from '@app/redis';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigChange } from '../apply-batch/applied-batch';
import { ConfigIndex } from '../config-index/config-index';
import { readReadModelState } from '../projection/read-model-state';
import { toCounterValue } from '../projection/counter-projection';
import { CounterValue } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredDefinition, StoredLimit } from '../snapshot/snapshot-codec';
import { RedisProjectionWriter } from './redis-projection.writer';

export type ResyncKind = 'none' | 'incremental' | 'full';

interface ConfigRow {
  id: string;
  definition: StoredDefinition;
  limits: StoredLimit[];
  config_hash: string;
  version: string;
  deleted_at: Date | null;
}

/**
 * Heals Redis from PostgreSQL: a write lost in a crash, a Redis restart or FLUSHALL. Behind by
 * some sequence numbers: copies what changed since. No meta at all (flushed) or `full`: copies
 * every live config and the current window of every counter, and drops configs PostgreSQL
 * no longer has.
 */
export class RedisResync {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly writer: RedisProjectionWriter,
  ) {}

  async run(forceFull = false, now = new Date()): Promise<ResyncKind> {
    const state = await readReadModelState(this.dataSource.manager);
    const redisSeq = await this.redis.hget(this.keys.meta, 'seq');
    if (!forceFull && redisSeq !== null && Number(redisSeq) >= state.lastSeq) return 'none';
    const full = forceFull || redisSeq === null;
    const since = full ? -1 : Number(redisSeq);
    const rows: ConfigRow[] = await this.dataSource.query(
      `SELECT id, definition, limits, config_hash, version, deleted_at FROM model_configs
        WHERE changed_seq > $1 OR (deleted_at IS NULL AND $2)`,
      [since, full],
    );
    const configs = rows.map(toChange);
    const index = new ConfigIndex(
      (await this.liveConfigs(full, configs)).flatMap((c) => (c.snapshot ? [c.snapshot] : [])),
    );
    const counters = full
      ? await this.currentWindows(index, now)
      : await this.countersChangedSince(since);
    if (full) await this.dropUnknownConfigs(index);
    await this.writer.write(
      { configs, counters, lastSeq: state.lastSeq, asOf: state.asOf },
      index,
      now,
    );
    return full ? 'full' : 'incremental';
  }

  private async liveConfigs(full: boolean, changed: ConfigChange[]): Promise<ConfigChange[]> {
    if (full) return changed;
    const rows: ConfigRow[] = await this.dataSource.query(
      `SELECT id, definition, limits, config_hash, version, deleted_at FROM model_configs
        WHERE deleted_at IS NULL`,
    );
    return rows.map(toChange);
  }

  private async currentWindows(index: ConfigIndex, now: Date): Promise<CounterValue[]> {
    const keys: string[] = [];
    const starts: string[] = [];
    for (const snapshot of index.values()) {
      for (const limit of snapshot.limits) {
        keys.push(limit.counterKey);
        starts.push(windowStart(limit, now).toISOString());
      }
    }
    if (keys.length === 0) return [];
    const rows: Parameters<typeof toCounterValue>[0][] = await this.dataSource.query(
      `SELECT c.counter_key, c.window_start, c.value, c.version
         FROM unnest($1::text[], $2::timestamptz[]) AS w(k, s)
         JOIN usage_counters c ON c.counter_key = w.k AND c.window_start = w.s`,
      [keys, starts],
    );
    return rows.map(toCounterValue);
  }

  private async countersChangedSince(seq: number): Promise<CounterValue[]> {
    const rows: Parameters<typeof toCounterValue>[0][] = await this.dataSource.query(
      `SELECT counter_key, window_start, value, version FROM usage_counters WHERE changed_seq > $1`,
      [seq],
    );
    return rows.map(toCounterValue);
  }

  private async dropUnknownConfigs(index: ConfigIndex): Promise<void> {
    const ids = await this.redis.hkeys(this.keys.configs);
    const stale = ids.filter((id) => !index.get(id));
    if (stale.length === 0) return;
    await this.redis
      .multi()
      .hdel(this.keys.configs, ...stale)
      .hdel(this.keys.configIndex, ...stale)
      .hdel(this.keys.configVersions, ...stale)
      .exec();
  }
}

function toChange(r: ConfigRow): ConfigChange {
  const version = Number(r.version);
  if (r.deleted_at !== null) return { id: r.id, version, snapshot: null };
  const snapshot = loadSnapshot({
    definition: r.definition,
    limits: r.limits,
    config_hash: r.config_hash,
    version,
  });
  return { id: r.id, version, snapshot };
}
