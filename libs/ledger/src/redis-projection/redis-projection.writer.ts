import { windowEnd } from '@app/governance';
import { RedisClient } from '@app/redis';
import { ChainableCommander } from 'ioredis';
import { AdmissionKeys } from '../admission/admission-keys';
import { SETTLE_LUA } from '../admission/admission.lua';
import { ConfigChange } from '../apply-batch/applied-batch';
import { ConfigIndex } from '../config-index/config-index';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { REDIS_LAYOUT } from '../read-model-version/redis-keys';
import { CounterValue } from '../snapshot/config-snapshot';
import {
  REWRITE_CONFIGS_LUA,
  SET_CONFIGS_LUA,
  SET_COUNTERS_LUA,
  SET_META_CREATING_LUA,
  SET_META_LUA,
} from './fenced-writes.lua';
import { encodeListingRow, encodeSnapshot } from './redis-config-row';

export interface RedisProjection {
  configs: readonly ConfigChange[];
  counters: readonly CounterValue[];
  lastSeq: number;
  /** the oldest seq this projection carries a change of (0 or absent: not known) */
  firstSeq?: number;
  asOf: Date | null;
  /** request ids whose usage was applied: their admission holds are settled */
  settledRequestIds?: readonly string[];
}

// Past its window a counter is never read again; the grace covers clocks a little apart.
const COUNTER_TTL_GRACE_MS = 60_000;
// Small scripts: each one holds Redis for well under a millisecond, other clients interleave.
const CHUNK = 200;

/** Writes absolute, versioned values; safe to repeat, safe to run out of order. */
export class RedisProjectionWriter {
  private readonly admissionKeys: AdmissionKeys;
  // Redis may lack changes PostgreSQL committed after this seq: a write failed. The meta seq
  // cannot tell once a later batch's write moved it on, so the resync asks here.
  private lostAfterSeq: number | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly version: ReadModelVersion,
  ) {
    this.admissionKeys = new AdmissionKeys(version.keys);
  }

  async write(p: RedisProjection, index: ConfigIndex, now = new Date()): Promise<void> {
    const pipeline = this.redis.pipeline();
    this.queueConfigs(pipeline, p.configs);
    this.queueCounters(pipeline, this.liveCounters(p.counters, index, now));
    // After the counters, in the same pipeline: a hold and the usage that settles it may be
    // counted both for a moment, never neither.
    this.queueSettlements(pipeline, p.settledRequestIds ?? []);
    // Moves the seq on only where the resync has created it (see SET_META_LUA).
    this.queueMeta(pipeline, SET_META_LUA, p.lastSeq, p.asOf);
    try {
      await execAll(pipeline);
    } catch (error) {
      if (p.firstSeq) this.recordLostAfter(p.firstSeq - 1);
      throw error;
    }
  }

  /** Marks the changes after `seq` as possibly missing from Redis (until the resync took it). */
  recordLostAfter(seq: number): void {
    this.lostAfterSeq = this.lostAfterSeq === null ? seq : Math.min(this.lostAfterSeq, seq);
  }

  /** The resync's: the seq after which a failed write may have left Redis behind, and clears it. */
  takeLostAfter(): number | null {
    const seq = this.lostAfterSeq;
    this.lostAfterSeq = null;
    return seq;
  }

  /**
   * The resync's, once Redis holds everything up to `lastSeq`: creates the meta seq or moves
   * it forward (never back). Until it exists the read model answers "being rebuilt".
   */
  async writeMeta(lastSeq: number, asOf: Date | null): Promise<void> {
    const pipeline = this.redis.pipeline();
    this.queueMeta(pipeline, SET_META_CREATING_LUA, lastSeq, asOf);
    await execAll(pipeline);
  }

  /**
   * Configs and counters only, without moving the meta seq (a resync slice). `rewrite`: also
   * configs of the version Redis holds (a Redis of an older layout).
   */
  async writeSlice(
    configs: readonly ConfigChange[],
    counters: readonly CounterValue[],
    index: ConfigIndex,
    now = new Date(),
    rewrite = false,
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    this.queueConfigs(pipeline, configs, rewrite ? REWRITE_CONFIGS_LUA : SET_CONFIGS_LUA);
    this.queueCounters(pipeline, this.liveCounters(counters, index, now));
    await execAll(pipeline);
  }

  private queueSettlements(pipeline: ChainableCommander, ids: readonly string[]): void {
    const { holds, expiries } = this.admissionKeys;
    for (let i = 0; i < ids.length; i += CHUNK) {
      pipeline.eval(SETTLE_LUA, 2, holds, expiries, ...ids.slice(i, i + CHUNK));
    }
  }

  private queueMeta(
    pipeline: ChainableCommander,
    script: string,
    lastSeq: number,
    asOf: Date | null,
  ): void {
    const meta = this.version.keys.meta;
    const asOfMs = String(asOf?.getTime() ?? '');
    pipeline.eval(script, 1, meta, String(lastSeq), asOfMs, REDIS_LAYOUT);
  }

  private queueConfigs(
    pipeline: ChainableCommander,
    configs: readonly ConfigChange[],
    script = SET_CONFIGS_LUA,
  ): void {
    const k = this.version.keys;
    const keys = [k.configs, k.configVersions, k.listing, k.names, k.order, k.identities];
    for (let i = 0; i < configs.length; i += CHUNK) {
      const args = configs.slice(i, i + CHUNK).flatMap((c) => configArgs(c));
      pipeline.eval(script, keys.length, ...keys, k.base, ...args);
    }
  }

  private queueCounters(
    pipeline: ChainableCommander,
    live: readonly (CounterValue & { ttlMs: number })[],
  ): void {
    for (let i = 0; i < live.length; i += CHUNK) {
      const chunk = live.slice(i, i + CHUNK);
      const keys = chunk.map((c) =>
        this.version.keys.counter(c.counterKey, c.windowStart.getTime()),
      );
      const args = chunk.flatMap((c) => [String(c.version), c.value.toString(), String(c.ttlMs)]);
      pipeline.eval(SET_COUNTERS_LUA, keys.length, ...keys, ...args);
    }
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

async function execAll(pipeline: ChainableCommander): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
}

function configArgs(change: ConfigChange): string[] {
  const snapshot = change.snapshot;
  return snapshot
    ? [change.id, String(change.version), encodeSnapshot(snapshot), encodeListingRow(snapshot)]
    : [change.id, String(change.version), '', ''];
}
