import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { projectEvents, SequencedEvent } from '../apply-batch/project-events';
import { ConfigIndex } from '../config-index/config-index';
import { loadConfigIndex } from '../config-index/load-config-index';
import { advanceReadModelState, readReadModelState } from '../projection/read-model-state';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { readStoredEvents } from './stored-events';

/** Which part of the log to replay: `(afterSeq, untilSeq]`. */
export interface ReplayRange {
  /** default: the target's own checkpoint (its read_model_state.last_seq) */
  afterSeq?: number;
  untilSeq: number;
}

export interface ReplayOptions {
  /** events per transaction (and per counter upsert) */
  chunkSize?: number;
  /** only these config ids: their config events, and usage charged to them only */
  scope?: ReadonlySet<string>;
  /** after every committed chunk */
  onChunk?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  /** events read from the log so far in this call */
  events: number;
  /** the target's checkpoint: everything up to here is in it */
  lastSeq: number;
  untilSeq: number;
}

export interface ReplayOutcome extends ReplayProgress {
  /** events the target refused (an upsert whose expected version did not match, ...) */
  rejected: number;
}

export const DEFAULT_CHUNK_SIZE = 20_000;

/**
 * Replays the event store, in seq order, into the read-model tables `target`: one transaction
 * per chunk, which commits the projection and the target's checkpoint (read_model_state.last_seq)
 * together, so a crash at any point loses nothing and counts nothing twice, and the next call
 * resumes from the checkpoint. The next chunk is read while the current one is applied.
 *
 * Deterministic: the same events give the same tables whenever it runs (no clock is read).
 * The caller makes sure the range is committed in full (see the log lock of the replay build)
 * and that nothing else writes the target meanwhile.
 */
export async function replayEvents(
  ds: DataSource,
  target: ReadModelTables,
  range: ReplayRange,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const start = await startOf(ds.manager, target, range);
  const run = new ReplayRun(target, start.index, range.untilSeq, options);
  let after = start.afterSeq;
  let next = readStoredEvents(ds.manager, after, range.untilSeq, chunkSize);
  for (;;) {
    const chunk = await next;
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1].seq;
    next = readStoredEvents(ds.manager, after, range.untilSeq, chunkSize);
    try {
      await ds.transaction((m) => run.apply(m, chunk));
    } catch (error) {
      await next.catch(() => undefined); // no unhandled rejection from the read ahead
      throw error;
    }
  }
  return run.outcome(after);
}

/** The same, inside the caller's transaction (the replay build's join, under the log lock). */
export async function replayEventsIn(
  m: EntityManager,
  target: ReadModelTables,
  range: ReplayRange,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const start = await startOf(m, target, range);
  const run = new ReplayRun(target, start.index, range.untilSeq, options);
  let after = start.afterSeq;
  for (;;) {
    const chunk = await readStoredEvents(m, after, range.untilSeq, chunkSize);
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1].seq;
    await run.apply(m, chunk);
  }
  return run.outcome(after);
}

async function startOf(
  m: EntityManager,
  target: ReadModelTables,
  range: ReplayRange,
): Promise<{ afterSeq: number; index: ConfigIndex }> {
  const state = await readReadModelState(m, target);
  const afterSeq = range.afterSeq ?? state.lastSeq;
  if (afterSeq < state.lastSeq) {
    throw new Error(
      `${target.schema} already holds the events up to seq ${state.lastSeq}; replaying from ${afterSeq} would count events twice`,
    );
  }
  return { afterSeq, index: await loadConfigIndex(m, target) };
}

/** The state of one replay call: the target's live configs, held in memory, and the counts. */
class ReplayRun {
  private events = 0;
  private rejected = 0;
  private lastSeq = 0;

  constructor(
    private readonly target: ReadModelTables,
    private index: ConfigIndex,
    private readonly untilSeq: number,
    private readonly options: ReplayOptions,
  ) {}

  async apply(m: EntityManager, chunk: readonly SequencedEvent[]): Promise<void> {
    const scope = this.options.scope;
    const events = scope ? chunk.filter((e) => inScope(e.event, scope)) : chunk;
    // A failed transaction must not leave its config changes in the index the next try uses.
    const index = events.some((e) => isConfigEvent(e.event)) ? this.index.clone() : this.index;
    const projected = await projectEvents(m, { tables: this.target }, index, events);
    const chunkEnd = chunk[chunk.length - 1].seq;
    // The checkpoint covers the whole chunk, also events that were refused or out of scope.
    if (projected.lastSeq < chunkEnd) {
      await advanceReadModelState(m, this.target, {
        lastSeq: chunkEnd,
        asOf: null,
        configChanges: 0,
      });
    }
    this.index = index;
    this.events += chunk.length;
    this.rejected += projected.rejections.size;
    this.lastSeq = chunkEnd;
    this.options.onChunk?.({ events: this.events, lastSeq: chunkEnd, untilSeq: this.untilSeq });
  }

  outcome(lastSeq: number): ReplayOutcome {
    return {
      events: this.events,
      rejected: this.rejected,
      lastSeq: Math.max(lastSeq, this.lastSeq),
      untilSeq: this.untilSeq,
    };
  }
}

function isConfigEvent(event: LedgerEvent): boolean {
  return event.type === MODEL_CONFIG_UPSERTED_V1 || event.type === MODEL_CONFIG_DELETED_V1;
}

function inScope(event: LedgerEvent, scope: ReadonlySet<string>): boolean {
  switch (event.type) {
    case MODEL_CONFIG_UPSERTED_V1:
      return scope.has(event.config.id);
    case MODEL_CONFIG_DELETED_V1:
      return scope.has(event.configId);
    case USAGE_RECORDED_V1:
      return true; // usage is charged only to the configs in the index: the scoped ones
  }
}
