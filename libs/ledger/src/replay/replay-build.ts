import { RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { readReadModelState } from '../projection/read-model-state';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { RedisProjectionWriter } from '../redis-projection/redis-projection.writer';
import { RedisResync } from '../redis-projection/redis-resync';
import { startFromSnapshot } from '../retention/read-model-snapshot';
import { takeLogLock } from '../versions/log-lock';
import { VersionRegistry } from '../versions/version-registry';
import { createVersionSchema, dropVersion } from '../versions/version-schema';
import { BuildLock } from './build-lock';
import { DEFAULT_CHUNK_SIZE, replayEvents, replayEventsIn, ReplayProgress } from './replay-events';
import { headSeq } from './stored-events';
import { compareTables, TableComparison } from './verify/compare-tables';

export interface BuildOptions {
  /** only these config ids (a scoped rebuild) */
  scope?: readonly string[];
  /** build a throw-away version, compare it with the active one, drop it */
  dryRun?: boolean;
  chunkSize?: number;
  /** events behind the head at most before the build joins the live projector */
  joinGap?: number;
  onProgress?: (progress: BuildProgress) => void;
  /**
   * Fills the event store from another source before the replay, under the build lock
   * (`replay build --from kafka`); `name` goes into the registry's built_from.
   */
  source?: { name: string; fill: () => Promise<void> };
}

export type BuildPhase = 'catch-up' | 'join' | 'redis';

export interface BuildProgress extends ReplayProgress {
  version: number;
  phase: BuildPhase;
  /** the target's checkpoint when this run started (a resumed build starts above 0) */
  startSeq: number;
}

export interface BuildResult {
  version: number;
  resumed: boolean;
  /** events replayed by this run */
  events: number;
  rejected: number;
  lastSeq: number;
  /** a dry run: the comparison with the active version (the version itself is gone) */
  dryRunDiff?: TableComparison;
  /**
   * where the build's time went, in seconds (`start`: the lock, the source's fill (`--from
   * kafka` reading the topics) and the version's schema)
   */
  phaseSeconds: Record<'start' | BuildPhase, number>;
}

// The join replays the last gap under the log lock, while live batches wait: keep it short.
const DEFAULT_JOIN_GAP = 20_000;

// Marks the registry row of a dry run, so a killed one is recognised and thrown away.
const FROM_STORE = 'store';
const FROM_STORE_DRY_RUN = 'store (dry run)';

/**
 * `replay build` from the event store: creates version max + 1 (or resumes the version left
 * 'building' by a killed build, from its own checkpoint), replays the log into it in chunks
 * while the live projector keeps serving the active version, then joins the live projector:
 * one transaction holding the log lock exclusive applies the last events and marks the version
 * 'following', so every batch that appends after that commit also applies to it. Then its
 * Redis projection is written in full and it is marked Redis-ready (switchable).
 */
export async function buildVersion(
  ds: DataSource,
  redis: RedisClient,
  registry: VersionRegistry,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const clock = new PhaseClock();
  const lock = await BuildLock.acquire(ds);
  try {
    await options.source?.fill();
    const { version, resumed, scope } = await targetOf(ds, redis, registry, options);
    await lock.name(version.id, options.dryRun ?? false);
    const startSeq = (await readReadModelState(ds.manager, version.tables)).lastSeq;
    clock.lap('start');
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const joinGap = options.joinGap ?? Math.min(chunkSize, DEFAULT_JOIN_GAP);
    let events = 0;
    let rejected = 0;
    const report = (phase: BuildPhase) => (p: ReplayProgress) =>
      options.onProgress?.({
        ...p,
        events: events + p.events,
        version: version.id,
        phase,
        startSeq,
      });
    const replayOptions = { chunkSize, scope: scope ? new Set(scope) : undefined };
    for (;;) {
      const watermark = await safeWatermark(ds);
      const { lastSeq } = await readReadModelState(ds.manager, version.tables);
      if (watermark - lastSeq <= joinGap) break;
      const run = await replayEvents(
        ds,
        version.tables,
        { untilSeq: watermark },
        { ...replayOptions, onChunk: report('catch-up') },
      );
      events += run.events;
      rejected += run.rejected;
    }
    clock.lap('catch-up');
    let dryRunDiff: TableComparison | undefined;
    const joined = await ds.transaction(async (m) => {
      await takeLogLock(m, 'exclusive'); // nothing in flight: max(seq) is the head of the log
      const run = await replayEventsIn(
        m,
        version.tables,
        { untilSeq: await headSeq(m) },
        { ...replayOptions, onChunk: report('join') },
      );
      if (options.dryRun) {
        // Under the lock both versions hold the same events: the comparison is exact.
        dryRunDiff = await compareTables(m, await registry.active(m), version, scope);
      } else {
        await registry.setStatus(version.id, 'following', m);
      }
      return run;
    });
    events += joined.events;
    rejected += joined.rejected;
    const lastSeq = (await readReadModelState(ds.manager, version.tables)).lastSeq;
    clock.lap('join');
    if (options.dryRun) {
      await discard(ds, redis, version);
      const phaseSeconds = clock.seconds();
      return { version: version.id, resumed, events, rejected, lastSeq, dryRunDiff, phaseSeconds };
    }
    options.onProgress?.({
      events,
      lastSeq,
      untilSeq: lastSeq,
      version: version.id,
      phase: 'redis',
      startSeq,
    });
    const writer = new RedisProjectionWriter(redis, version);
    await new RedisResync(ds, redis, version, writer).run(true);
    await registry.markRedisReady(version.id);
    clock.lap('redis');
    return {
      version: version.id,
      resumed,
      events,
      rejected,
      lastSeq,
      phaseSeconds: clock.seconds(),
    };
  } finally {
    await lock.release();
  }
}

/** The time from one lap to the next, by the name of the phase that ended. */
class PhaseClock {
  private readonly laps: Record<'start' | BuildPhase, number> = {
    start: 0,
    'catch-up': 0,
    join: 0,
    redis: 0,
  };
  private last = performance.now();

  lap(phase: 'start' | BuildPhase): void {
    const now = performance.now();
    this.laps[phase] = Number(((now - this.last) / 1000).toFixed(3));
    this.last = now;
  }

  seconds(): Record<'start' | BuildPhase, number> {
    return { ...this.laps };
  }
}

/**
 * The newest seq below which nothing is uncommitted: read while holding the log lock
 * exclusive for an instant (every live batch appends under it shared).
 */
export async function safeWatermark(ds: DataSource): Promise<number> {
  return ds.transaction(async (m) => {
    await takeLogLock(m, 'exclusive');
    return headSeq(m);
  });
}

async function targetOf(
  ds: DataSource,
  redis: RedisClient,
  registry: VersionRegistry,
  options: BuildOptions,
): Promise<{ version: ReadModelVersion; resumed: boolean; scope: readonly string[] | null }> {
  const building = (await registry.list()).filter((v) => v.status === 'building');
  for (const record of building) {
    const version = registry.version(record.id);
    // A killed dry run is thrown away, whatever this run is.
    if (record.builtFrom === FROM_STORE_DRY_RUN) {
      await discard(ds, redis, version);
    } else if (!options.dryRun) {
      return { version, resumed: true, scope: record.scope };
    }
  }
  const scope = options.scope && options.scope.length > 0 ? options.scope : null;
  return ds.transaction(async (m) => {
    const id = await registry.nextId(m);
    const version = registry.version(id);
    await createVersionSchema(m, version);
    await registry.register(
      id,
      {
        builtFrom: options.dryRun ? FROM_STORE_DRY_RUN : (options.source?.name ?? FROM_STORE),
        scope,
      },
      m,
    );
    // Retention may have dropped the oldest events: start from the snapshot they folded into.
    await startFromSnapshot(m, version.tables, scope);
    return { version, resumed: false, scope };
  });
}

/** Drops a version the live projector never followed, and its registry row. */
async function discard(
  ds: DataSource,
  redis: RedisClient,
  version: ReadModelVersion,
): Promise<void> {
  await ds.transaction(async (m) => {
    await dropVersion(m, redis, version);
    await m.query(`DELETE FROM public.read_model_versions WHERE id = $1 AND status = 'building'`, [
      version.id,
    ]);
  });
}
