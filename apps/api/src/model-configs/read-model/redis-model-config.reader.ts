import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ConfigSnapshot, decodeCounterValue, decodeListingRow, decodeSnapshot } from '@app/ledger';
import { RedisKeys } from '@app/redis';
import Redis from 'ioredis';
import { callDependency } from '../../http/dependency-call';
import { ListParams } from '../list-model-configs/list-query-params';
import { countersToRead, presentModelConfig, UsageOf } from '../model-config.presenter';
import {
  Freshness,
  ModelConfigPage,
  ModelConfigRead,
  ModelConfigReader,
} from './model-config.reader';
import { presentPage } from './present-page';
import { selectPage } from './select-page';

/**
 * The Redis read model (`from_memory=true`). Reads Redis only, never PostgreSQL, so it keeps
 * answering while the database is away; it may trail PostgreSQL by one projector write.
 */
@Injectable()
export class RedisModelConfigReader implements ModelConfigReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
  ) {}

  list(params: ListParams, now: Date): Promise<ModelConfigPage> {
    return this.read(async () => {
      const [index, freshness] = await Promise.all([
        this.redis.hvals(this.keys.configIndex),
        this.freshness(),
      ]);
      const selection = selectPage(
        index.map(decodeListingRow),
        params,
        params.limit,
        params.offset,
      );
      const snapshots = await this.snapshots(selection.ids);
      const usageOf = await this.usage([...snapshots.values()], now);
      return { response: presentPage(selection, snapshots, usageOf, params, now), freshness };
    });
  }

  get(id: string, now: Date): Promise<ModelConfigRead> {
    return this.read(async () => {
      const [snapshots, freshness] = await Promise.all([this.snapshots([id]), this.freshness()]);
      const snapshot = snapshots.get(id);
      const usageOf = await this.usage(snapshot ? [snapshot] : [], now);
      return { view: snapshot ? presentModelConfig(snapshot, usageOf, now) : null, freshness };
    });
  }

  private read<T>(work: () => Promise<T>): Promise<T> {
    return callDependency('Redis', this.config.env.DEPENDENCY_TIMEOUT, work);
  }

  private async snapshots(ids: string[]): Promise<Map<string, ConfigSnapshot>> {
    if (ids.length === 0) return new Map();
    const values = await this.redis.hmget(this.keys.configs, ...ids);
    const found = values.flatMap((v) => (v === null ? [] : [decodeSnapshot(v)]));
    return new Map(found.map((s) => [s.definition.id, s]));
  }

  private async usage(snapshots: ConfigSnapshot[], now: Date): Promise<UsageOf> {
    const windows = snapshots.flatMap((s) => countersToRead(s, now));
    if (windows.length === 0) return () => 0n;
    const raw = await this.redis.mget(
      ...windows.map((w) => this.keys.counter(w.counterKey, w.windowStart.getTime())),
    );
    const values = new Map(windows.map((w, i) => [w.counterKey, decodeCounterValue(raw[i])]));
    return (counterKey) => values.get(counterKey) ?? 0n;
  }

  private async freshness(): Promise<Freshness> {
    const asOf = await this.redis.hget(this.keys.meta, 'as_of');
    return { source: 'redis', asOf: asOf ? new Date(Number(asOf)) : null };
  }
}
