import { RedisClient } from '@app/redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ConfigIndex } from '../config-index/config-index';
import { readReadModelState } from '../projection/read-model-state';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { REDIS_LAYOUT } from '../read-model-version/redis-keys';
import { DROP_CONFIGS_LUA } from './fenced-writes.lua';
import { HealPoints } from './heal-points';
import { RedisProjectionWriter } from './redis-projection.writer';
import {
  changedConfigs,
  configsAfter,
  countersChangedSince,
  currentWindowsOf,
  liveConfigIds,
} from './resync-queries';

export type ResyncKind = 'none' | 'incremental' | 'full';

export interface ResyncPacing {
  /** configs per slice of a full resync (one PostgreSQL page, a few short Redis scripts) */
  sliceSize: number;
  /** pause between slices, so the projector's own writes and the API's reads interleave */
  pauseMs: number;
}

const DEFAULT_PACING: ResyncPacing = { sliceSize: 200, pauseMs: 2 };
/** How far back `suspectLostSince` can look (a few session timeouts is what it is asked). */
const HEAL_POINTS_KEPT_MS = 10 * 60_000;

/**
 * Heals Redis from PostgreSQL: a write lost in a crash, a Redis restart or FLUSHALL.
 *
 * Behind by some sequence numbers (incremental): copies the configs and counters whose
 * `changed_seq` is newer, and refreshes its own config index (the counters' windows) with the
 * configs that changed since its last cycle: work proportional to the change, not to the
 * configs held. No meta at all (flushed) or `full`: rewrites every live config and the current
 * window of its counters in slices, pausing between them so Redis is never held for more than
 * a few milliseconds, then drops the configs PostgreSQL no longer has.
 */
export class RedisResync {
  private index: ConfigIndex | null = null;
  private indexSeq = -1;
  private readonly points = new HealPoints(HEAL_POINTS_KEPT_MS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly version: ReadModelVersion,
    private readonly writer: RedisProjectionWriter,
    private readonly pacing: ResyncPacing = DEFAULT_PACING,
  ) {}

  async run(forceFull = false, now = new Date()): Promise<ResyncKind> {
    // Taken first: a write failing while this cycle runs is left for the next one.
    const lostAfter = this.writer.takeLostAfter();
    try {
      const { kind, lastSeq } = await this.heal(forceFull, lostAfter, now);
      this.points.record(now.getTime(), lastSeq);
      return kind;
    } catch (error) {
      if (lostAfter !== null) this.writer.recordLostAfter(lostAfter);
      throw error;
    }
  }

  /**
   * Another instance may have died at `atMs` or later between its PostgreSQL commit and its
   * Redis write: the next cycle copies what changed since the seq PostgreSQL had then. False
   * when this resync has no point that old (a young process): a full rewrite is the answer.
   */
  suspectLostSince(atMs: number): boolean {
    const seq = this.points.seqAt(atMs);
    if (seq === null) return false;
    this.writer.recordLostAfter(seq);
    return true;
  }

  private async heal(
    forceFull: boolean,
    lostAfter: number | null,
    now: Date,
  ): Promise<{ kind: ResyncKind; lastSeq: number }> {
    const state = await readReadModelState(this.dataSource.manager, this.version.tables);
    const [redisSeq, layout] = await this.redis.hmget(this.version.keys.meta, 'seq', 'layout');
    // A Redis an older release wrote: its rows lack what this one indexes (see REDIS_LAYOUT).
    const olderLayout = redisSeq !== null && layout !== REDIS_LAYOUT;
    const full = forceFull || redisSeq === null || olderLayout;
    // Behind where the meta says, or where a failed write of this process left a gap under it.
    const since = Math.min(Number(redisSeq), lostAfter ?? Infinity);
    const lastSeq = state.lastSeq;
    if (!full && since >= lastSeq) return { kind: 'none', lastSeq };
    if (full) {
      await this.full(now, olderLayout);
    } else {
      await this.incremental(since, now);
    }
    await this.writer.writeMeta(lastSeq, state.asOf);
    return { kind: full ? 'full' : 'incremental', lastSeq };
  }

  private async incremental(since: number, now: Date): Promise<void> {
    const configs = await changedConfigs(this.dataSource, this.version.tables, since);
    const index = await this.refreshedIndex();
    const counters = await countersChangedSince(this.dataSource, this.version.tables, since);
    await this.writer.writeSlice(configs, counters, index, now);
  }

  /** The live configs, kept current with what changed since the last cycle. */
  private async refreshedIndex(): Promise<ConfigIndex> {
    const t = this.version.tables;
    const changes = await changedConfigs(this.dataSource, t, this.indexSeq, this.index === null);
    this.index ??= new ConfigIndex();
    for (const change of changes) {
      if (change.snapshot) this.index.put(change.snapshot);
      else this.index.remove(change.id);
      this.indexSeq = Math.max(this.indexSeq, change.changedSeq);
    }
    return this.index;
  }

  private async full(now: Date, rewrite: boolean): Promise<void> {
    const t = this.version.tables;
    let after = '';
    for (;;) {
      const slice = await configsAfter(this.dataSource, t, after, this.pacing.sliceSize);
      if (slice.length === 0) break;
      const index = new ConfigIndex(slice.flatMap((c) => (c.snapshot ? [c.snapshot] : [])));
      const counters = await currentWindowsOf(this.dataSource, t, index, now);
      await this.writer.writeSlice(slice, counters, index, now, rewrite);
      after = slice[slice.length - 1].id;
      await sleep(this.pacing.pauseMs);
    }
    await this.dropUnknownConfigs(await liveConfigIds(this.dataSource, t));
  }

  /** HSCAN in pages, never HKEYS: the configs hash can hold 100,000 entries. */
  private async dropUnknownConfigs(live: ReadonlySet<string>): Promise<void> {
    const k = this.version.keys;
    const keys = [k.configs, k.configVersions, k.listing, k.names, k.order, k.identities];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(k.configs, cursor, 'COUNT', 500);
      cursor = next;
      const stale = entries.filter((id, i) => i % 2 === 0 && !live.has(id));
      if (stale.length > 0) {
        await this.redis.eval(DROP_CONFIGS_LUA, keys.length, ...keys, k.base, ...stale);
      }
    } while (cursor !== '0');
  }
}
