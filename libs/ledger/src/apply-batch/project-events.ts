import { AccumulatedCharge, ChargeAccumulator, RouteCache } from '@app/governance';
import {
  DeadLetterReason,
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { EntityManager } from 'typeorm';
import { ConfigIndex } from '../config-index/config-index';
import { applyCharges } from '../projection/counter-projection';
import { deleteConfig, saveConfig } from '../projection/config-projection';
import { ConfigWriteBatch } from '../projection/config-write-batch';
import { advanceReadModelState, ReadModelState } from '../projection/read-model-state';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { CounterValue } from '../snapshot/config-snapshot';
import { ConfigChange } from './applied-batch';
import { nextConfigSnapshot } from './next-config-snapshot';

/** A stored event and its place in the log. */
export interface SequencedEvent {
  seq: number;
  event: LedgerEvent;
}

/** What projecting a run of events into one read-model version changed. */
export interface ProjectedEvents {
  /** the pre-aggregated charges (threshold alerts need their steps) */
  charges: AccumulatedCharge[];
  /** the absolute counter values after the charges (none in a rebuild) */
  counters: CounterValue[];
  configs: ConfigChange[];
  /** request ids of the usage events applied that end their call */
  settledRequestIds: string[];
  /** events this version refused, by seq: nothing of them was applied */
  rejections: Map<number, DeadLetterReason>;
  /** newest applied seq and event time of this run (0 / null when nothing was applied) */
  lastSeq: number;
  /** oldest applied seq of this run (0 when nothing was applied) */
  firstSeq: number;
  asOf: Date | null;
  /** the version's read_model_state after the run */
  state: ReadModelState;
}

/**
 * Runs between the config writes and the counter upsert; the live applier sends its dead
 * letters there, before the shared counter rows and the state row are locked.
 */
export type BeforeCounters = (rejections: ReadonlyMap<number, DeadLetterReason>) => Promise<void>;

export interface ProjectOptions {
  beforeCounters?: BeforeCounters;
  /**
   * A rebuild: it keeps neither alert steps nor settled request ids (it never alerts nor
   * releases admissions), and matches usage routes through this cache, kept across its chunks.
   */
  rebuild?: {
    routes: RouteCache;
    /**
     * Config writes held until `finish` (one statement per round of changes instead of one
     * per config event), given the version of every row of the target (see ConfigWriteBatch)
     */
    configWrites?: ConfigWriteBatch;
  };
}

/**
 * Projects events, in seq order, into one read-model version inside the caller's transaction:
 * config changes through `index` (which it updates), usage as one pre-aggregated counter
 * upsert, then the version's read_model_state. The live applier and the replay build both come
 * through here, which is what makes a rebuild equal the live read models. Nothing in it reads
 * the clock: windows come from event times.
 */
export async function projectEvents(
  m: EntityManager,
  version: { tables: ReadModelTables },
  index: ConfigIndex,
  events: readonly SequencedEvent[],
  options: ProjectOptions = {},
): Promise<ProjectedEvents> {
  const projection = new EventProjection(m, version, index, options);
  await projection.add(events);
  return projection.finish();
}

/**
 * projectEvents in steps: `add` the events page by page (a replay streams a large chunk
 * through it without holding it), then `finish` writes every counter window once.
 */
export class EventProjection {
  private readonly accumulator: ChargeAccumulator;
  private readonly configs: ConfigChange[] = [];
  private readonly settledRequestIds: string[] = [];
  private readonly rejections = new Map<number, DeadLetterReason>();
  private lastSeq = 0;
  private firstSeq = 0;
  private asOf: Date | null = null;

  constructor(
    private readonly m: EntityManager,
    private readonly version: { tables: ReadModelTables },
    private readonly index: ConfigIndex,
    private readonly options: ProjectOptions = {},
  ) {
    const rebuild = options.rebuild;
    this.accumulator = new ChargeAccumulator(
      index.limitsFor,
      rebuild ? { steps: false, routes: rebuild.routes } : {},
    );
  }

  async add(events: readonly SequencedEvent[]): Promise<void> {
    const settle = !this.options.rebuild;
    for (const { seq, event } of events) {
      if (event.type === USAGE_RECORDED_V1) {
        // Synchronous: usage is most of the log, and an await per event is what it would cost.
        this.accumulator.add(event.usage);
        // A stream holds its admission until the final chunk: its earlier chunks count twice
        // for a while (held and committed), never zero times.
        if (settle && (!event.usage.streaming || event.usage.finalChunk)) {
          this.settledRequestIds.push(event.usage.requestId);
        }
      } else {
        const rejection = await projectConfigEvent(this.m, this.version, this.index, event, seq, {
          accumulator: this.accumulator,
          configs: this.configs,
          writes: this.options.rebuild?.configWrites,
        });
        if (rejection !== null) {
          this.rejections.set(seq, rejection);
          continue;
        }
      }
      if (seq > this.lastSeq) this.lastSeq = seq;
      if (this.firstSeq === 0 || seq < this.firstSeq) this.firstSeq = seq;
      if (this.asOf === null || event.time > this.asOf) this.asOf = event.time;
    }
    // A rebuild's held config writes go out now and are written while the next events are.
    this.options.rebuild?.configWrites?.send(this.m, this.version.tables);
  }

  async finish(): Promise<ProjectedEvents> {
    const { m, version, configs, rejections, lastSeq, firstSeq, asOf } = this;
    await this.options.rebuild?.configWrites?.flush(m, version.tables);
    if (this.options.beforeCounters) await this.options.beforeCounters(rejections);
    const charges = this.accumulator.charges();
    const counters = await applyCharges(m, version.tables, charges, lastSeq, {
      returning: !this.options.rebuild,
    });
    const state = await advanceReadModelState(m, version.tables, {
      lastSeq,
      asOf,
      configChanges: configs.length,
    });
    const settledRequestIds = this.settledRequestIds;
    return {
      charges,
      counters,
      configs,
      settledRequestIds,
      rejections,
      lastSeq,
      firstSeq,
      asOf,
      state,
    };
  }
}

interface Effects {
  accumulator: ChargeAccumulator;
  configs: ConfigChange[];
  /** held config writes (a rebuild), instead of a statement per event */
  writes?: ConfigWriteBatch;
}

/** Returns null when applied, or why the event must be refused instead. */
async function projectConfigEvent(
  m: EntityManager,
  target: { tables: ReadModelTables },
  index: ConfigIndex,
  event: Exclude<LedgerEvent, { type: typeof USAGE_RECORDED_V1 }>,
  seq: number,
  effects: Effects,
): Promise<DeadLetterReason | null> {
  switch (event.type) {
    case MODEL_CONFIG_UPSERTED_V1: {
      const next = nextConfigSnapshot(index, event.config, seq, event.expectedVersion);
      if (!next.ok) return next.reason;
      const version = effects.writes
        ? effects.writes.upsert(next.snapshot, seq)
        : await saveConfig(m, target.tables, next.snapshot, seq);
      const snapshot = { ...next.snapshot, version };
      index.put(snapshot);
      effects.accumulator.forgetMatches();
      effects.configs.push({ id: event.config.id, version, snapshot });
      return null;
    }
    case MODEL_CONFIG_DELETED_V1: {
      const writes = effects.writes;
      // The index holds exactly the target's live rows: a config it lacks is already deleted.
      const version = writes
        ? index.get(event.configId)
          ? writes.delete(event.configId, event.time, seq)
          : null
        : await deleteConfig(m, target.tables, event.configId, event.time, seq);
      if (version === null) return null; // already gone: deleting twice is harmless
      index.remove(event.configId);
      effects.accumulator.forgetMatches();
      effects.configs.push({ id: event.configId, version, snapshot: null });
      return null;
    }
  }
}
