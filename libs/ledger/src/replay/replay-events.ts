import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { RouteCache } from '@app/governance';
import { DataSource, EntityManager } from 'typeorm';
import { EventProjection } from '../apply-batch/project-events';
import { ConfigIndex } from '../config-index/config-index';
import { loadConfigIndex } from '../config-index/load-config-index';
import { ConfigWriteBatch } from '../projection/config-write-batch';
import { advanceReadModelState, readReadModelState } from '../projection/read-model-state';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { decodeStoredRows, readStoredRows, StoredRow } from './stored-events';

/** Which part of the log to replay: `(afterSeq, untilSeq]`. */
export interface ReplayRange {
  /** default: the target's own checkpoint (its read_model_state.last_seq) */
  afterSeq?: number;
  untilSeq: number;
}

export interface ReplayOptions {
  /**
   * log positions (seqs) per transaction and per counter upsert, so events per transaction
   * where the log has no gaps; default DEFAULT_CHUNK_SIZE
   */
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

export const DEFAULT_CHUNK_SIZE = 200_000;

// Log positions per read of the store: a chunk streams through in pages, so its decoded events die
// young (cheap to collect) and the first page arrives before a whole chunk is read.
const PAGE_SIZE = 10_000;
// Events decoded at a time (see decodeStoredRows).
const DECODE_SLICE = 512;

/**
 * Replays the event store, in seq order, into the read-model tables `target`: one transaction
 * per chunk, which commits the projection and the target's checkpoint (read_model_state.last_seq)
 * together, so a crash at any point loses nothing and counts nothing twice, and the next call
 * resumes from the checkpoint. A chunk is read in pages, the next page while the current one is
 * applied, and its usage is summed in memory: each counter window is written once per chunk.
 *
 * Deterministic: the same events give the same tables whenever it runs (no clock is read), and
 * however they are chunked (a window's value is the sum of its charges).
 * The caller makes sure the range is committed in full (see the log lock of the replay build)
 * and that nothing else writes the target meanwhile.
 */
export async function replayEvents(
  ds: DataSource,
  target: ReadModelTables,
  range: ReplayRange,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const start = await startOf(ds.manager, target, range);
  if (start.afterSeq >= range.untilSeq) return nothingToReplay(start.afterSeq, range.untilSeq);
  const run = new ReplayRun(
    target,
    await withConfigs(ds.manager, target, start),
    range.untilSeq,
    options,
  );
  const pages = new StoredEventPages(ds.manager, start.afterSeq, range.untilSeq, run.chunkSize);
  try {
    while (!pages.exhausted) await ds.transaction((m) => run.applyChunk(m, pages));
  } finally {
    await pages.close();
  }
  return run.outcome();
}

/** The same, inside the caller's transaction (the replay build's join, under the log lock). */
export async function replayEventsIn(
  m: EntityManager,
  target: ReadModelTables,
  range: ReplayRange,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const start = await startOf(m, target, range);
  if (start.afterSeq >= range.untilSeq) return nothingToReplay(start.afterSeq, range.untilSeq);
  const run = new ReplayRun(target, await withConfigs(m, target, start), range.untilSeq, options);
  // One connection: no read ahead.
  const pages = new StoredEventPages(m, start.afterSeq, range.untilSeq, run.chunkSize, false);
  while (!pages.exhausted) await run.applyChunk(m, pages);
  return run.outcome();
}

/**
 * The log after a seq, page by page, in chunks of `chunkSize` log positions (seqs; fewer
 * events where the log has gaps); with `readAhead`, the next page is on its way while the
 * caller applies this one.
 */
class StoredEventPages {
  /** every position up to `untilSeq` is read */
  exhausted = false;
  private pending: { to: number; rows: Promise<StoredRow[]> } | null = null;
  /** positions read in the current chunk */
  private taken = 0;

  constructor(
    private readonly m: EntityManager,
    private after: number,
    private readonly untilSeq: number,
    private readonly chunkSize: number,
    private readonly readAhead = true,
  ) {
    this.exhausted = after >= untilSeq;
    if (readAhead && !this.exhausted) this.pending = this.read();
  }

  /** The next events of the current chunk; null once the chunk (or the log) is done. */
  async next(): Promise<StoredRow[] | null> {
    while (!this.exhausted && this.taken < this.chunkSize) {
      const { to, rows } = this.pending ?? this.read();
      this.pending = null;
      const page = await rows;
      this.taken += to - this.after;
      this.after = to;
      this.exhausted = to >= this.untilSeq;
      if (this.readAhead && !this.exhausted) this.pending = this.read();
      if (page.length > 0) return page;
    }
    this.taken = 0;
    return null;
  }

  /** Waits for a read ahead nobody will take (no unhandled rejection from it). */
  async close(): Promise<void> {
    await this.pending?.rows.catch(() => undefined);
  }

  private read(): { to: number; rows: Promise<StoredRow[]> } {
    const left = this.chunkSize - this.taken;
    const size = Math.min(PAGE_SIZE, left > 0 ? left : this.chunkSize);
    const to = Math.min(this.untilSeq, this.after + size);
    return { to, rows: readStoredRows(this.m, this.after, to) };
  }
}

interface ReplayStart {
  afterSeq: number;
  index: ConfigIndex;
  /** id -> version of every config row of the target, deleted ones too */
  rowVersions: Map<string, number>;
}

/** Where the replay starts: the range checked against the target's checkpoint. */
async function startOf(
  m: EntityManager,
  target: ReadModelTables,
  range: ReplayRange,
): Promise<{ afterSeq: number }> {
  const state = await readReadModelState(m, target);
  const afterSeq = range.afterSeq ?? state.lastSeq;
  if (afterSeq < state.lastSeq) {
    throw new Error(
      `${target.schema} already holds the events up to seq ${state.lastSeq}; replaying from ${afterSeq} would count events twice`,
    );
  }
  return { afterSeq };
}

/**
 * An empty range (the join of a build whose catch-up reached the head) reads no configs:
 * loading the target's index was most of such a join's time.
 */
function nothingToReplay(afterSeq: number, untilSeq: number): ReplayOutcome {
  return { events: 0, rejected: 0, lastSeq: afterSeq, untilSeq };
}

/** The target's configs, which the replay charges against and updates in memory. */
async function withConfigs(
  m: EntityManager,
  target: ReadModelTables,
  { afterSeq }: { afterSeq: number },
): Promise<ReplayStart> {
  const rows: { id: string; version: string }[] = await m.query(
    `SELECT id, version FROM ${target.configs}`,
  );
  const rowVersions = new Map(rows.map((r) => [r.id, Number(r.version)]));
  return { afterSeq, index: await loadConfigIndex(m, target), rowVersions };
}

/** The state of one replay call: the target's live configs, held in memory, and the counts. */
class ReplayRun {
  readonly chunkSize: number;
  private events = 0;
  private rejected = 0;
  private lastSeq: number;
  private index: ConfigIndex;
  private rowVersions: Map<string, number>;
  // Kept across chunks: the matches of a route only change when a config does.
  private readonly routes = new RouteCache();

  constructor(
    private readonly target: ReadModelTables,
    start: ReplayStart,
    private readonly untilSeq: number,
    private readonly options: ReplayOptions,
  ) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.lastSeq = start.afterSeq;
    this.index = start.index;
    this.rowVersions = start.rowVersions;
  }

  /** One chunk, page by page, then its counters and checkpoint, in `m`'s transaction. */
  async applyChunk(m: EntityManager, pages: StoredEventPages): Promise<void> {
    const scope = this.options.scope;
    // A failed transaction must not leave its config changes in the index the next try uses.
    const index = this.index.clone();
    const rowVersions = new Map(this.rowVersions);
    const projection = new EventProjection(m, { tables: this.target }, index, {
      rebuild: { routes: this.routes, configWrites: new ConfigWriteBatch(rowVersions) },
    });
    let events = 0;
    let chunkEnd = 0;
    try {
      for (let page = await pages.next(); page !== null; page = await pages.next()) {
        events += page.length;
        chunkEnd = page[page.length - 1].seq;
        for (let from = 0; from < page.length; from += DECODE_SLICE) {
          const slice = decodeStoredRows(page, from, Math.min(page.length, from + DECODE_SLICE));
          await projection.add(scope ? slice.filter((e) => inScope(e.event, scope)) : slice);
        }
      }
      if (events === 0) return;
      const projected = await projection.finish();
      // The checkpoint covers the whole chunk, also events that were refused or out of scope.
      if (projected.lastSeq < chunkEnd) {
        await advanceReadModelState(m, this.target, {
          lastSeq: chunkEnd,
          asOf: null,
          configChanges: 0,
        });
      }
      this.rejected += projected.rejections.size;
    } catch (error) {
      this.routes.clear(); // it may hold the matches of configs this chunk failed to apply
      throw error;
    }
    this.index = index;
    this.rowVersions = rowVersions;
    this.events += events;
    this.lastSeq = chunkEnd;
    this.options.onChunk?.({ events: this.events, lastSeq: chunkEnd, untilSeq: this.untilSeq });
  }

  outcome(): ReplayOutcome {
    return {
      events: this.events,
      rejected: this.rejected,
      lastSeq: this.lastSeq,
      untilSeq: this.untilSeq,
    };
  }
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
