import { foldSearchText } from '@app/governance';
import { RedisClient } from '@app/redis';
import { RedisKeys } from '../read-model-version/redis-keys';
import { VersionSource } from '../versions/version-source';
import { ReadModelNotReadyError } from '../redis-projection/read-model-not-ready.error';
import { decodeCounterValue } from '../redis-projection/redis-config-row';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { ConfigListQuery } from './config-list-query';
import {
  ConfigPage,
  ConfigRead,
  currentWindows,
  ModelConfigReadModel,
  UsageValues,
} from './model-config-read-model';
import { PAGE_LUA } from './page.lua';
import { runScript } from './run-script';
import { SnapshotDecodeCache } from './snapshot-decode-cache';

/**
 * The Redis read model (`from_memory=true`). Reads Redis only, never PostgreSQL, so it keeps
 * answering while the database is away; it may trail PostgreSQL by one projector write.
 * A page is one script (page, total, snapshots, as-of) and one MGET of its counters.
 */
export class RedisModelConfigReadModel implements ModelConfigReadModel {
  private readonly decoded = new SnapshotDecodeCache();

  constructor(
    private readonly redis: RedisClient,
    private readonly versions: VersionSource,
  ) {}

  async page(q: ConfigListQuery, now: Date): Promise<ConfigPage> {
    const k = this.versions.current().keys; // one version for the whole answer
    const sets = [
      q.scope === null ? null : k.byScope(q.scope),
      q.scopeId === null ? null : k.byScopeId(q.scopeId),
      q.provider === null ? null : k.byProvider(q.provider),
    ].filter((key): key is string => key !== null);
    const reply = (await runScript(
      this.redis,
      PAGE_LUA,
      [k.configs, k.names, k.meta, ...(sets.length > 0 ? sets : [k.order])],
      [
        String(q.offset),
        String(q.offset + q.limit - 1),
        String(q.limit),
        q.search === null ? '' : foldSearchText(q.search),
      ],
    )) as [number, string, ...(string | null)[]] | ['not_ready'];
    if (reply[0] === 'not_ready') throw new ReadModelNotReadyError();
    const [total, asOf, ...found] = reply;
    // A config deleted between the index and its snapshot is left out of the page.
    const snapshots = found.flatMap((json) => (json === null ? [] : [this.decoded.decode(json)]));
    return { snapshots, total, usage: await this.usage(k, snapshots, now), asOf: toAsOf(asOf) };
  }

  async get(id: string, now: Date): Promise<ConfigRead> {
    const k = this.versions.current().keys;
    // One transaction (one slot): the config is never read from a Redis being rebuilt.
    const results = await this.redis
      .multi()
      .hget(k.configs, id)
      .hmget(k.meta, 'seq', 'as_of')
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error('Redis transaction aborted');
    const [json, [seq, asOf]] = results.map(([, value]) => value) as [
      string | null,
      (string | null)[],
    ];
    if (seq === null) throw new ReadModelNotReadyError();
    const snapshot = json === null ? null : this.decoded.decode(json);
    const usage = await this.usage(k, snapshot ? [snapshot] : [], now);
    return { snapshot, usage, asOf: toAsOf(asOf) };
  }

  private async usage(k: RedisKeys, snapshots: ConfigSnapshot[], now: Date): Promise<UsageValues> {
    const windows = snapshots.flatMap((s) => currentWindows(s, now));
    if (windows.length === 0) return new Map();
    const raw = await this.redis.mget(
      ...windows.map((w) => k.counter(w.counterKey, w.windowStart.getTime())),
    );
    return new Map(windows.map((w, i) => [w.counterKey, decodeCounterValue(raw[i])]));
  }
}

function toAsOf(raw: string | null): Date | null {
  return raw ? new Date(Number(raw)) : null;
}
