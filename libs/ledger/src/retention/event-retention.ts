import { DataSource, EntityManager } from 'typeorm';
import { readReadModelState } from '../projection/read-model-state';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { replayEvents } from '../replay/replay-events';
import { takeLogLock } from '../versions/log-lock';
import {
  boundaryFor,
  ensureMonthsAhead,
  listMonthPartitions,
  partitionStrayMonths,
} from './event-partitions';
import {
  ensureSnapshotSchema,
  SNAPSHOT_TABLES,
  snapshotSeq,
  takeSnapshotLock,
} from './read-model-snapshot';

/** Session lock: one projector instance runs the retention job at a time. */
const RETENTION_JOB_LOCK = 7_461_334_000;
/** Months of partitions created ahead of the current one. */
const MONTHS_AHEAD = 2;
/**
 * Dropping a partition locks the whole event store for an instant; waiting longer than this
 * for in-flight statements would stall live appends queued behind it, so the drop gives up and
 * the next run tries again.
 */
const DROP_LOCK_TIMEOUT = '2s';

export interface RetentionOutcome {
  /** false: another instance holds the job lock */
  ran: boolean;
  /** events before it are no longer kept (null: nothing ever dropped) */
  boundary: Date | null;
  /** the snapshot holds every event with seq <= it */
  snapshotSeq: number;
  droppedPartitions: string[];
  /** events removed from the default partition (times with no month partition) */
  droppedDefaultRows: number;
  /** why months older than the boundary are still there, if they are */
  heldBack: string | null;
}

/**
 * The retention job: partitions ahead; with a retention, every month entirely older than it is
 * folded into the snapshot (read_model_snapshot, the read models at S = the newest seq of those
 * months) and then dropped with its dedup keys. Order matters and each step survives a crash:
 *
 * 1. Under the log lock held exclusive (nothing in flight), the boundary moves to the end of the
 *    newest such month and S is read. From that commit on, live batches dead-letter earlier
 *    events as too_old, so nothing is added below the boundary any more.
 * 2. The snapshot replays (its checkpoint, S]: every event with seq <= S, from every partition.
 * 3. Under the snapshot lock, unless a build still needs those events (a 'building' version
 *    below S), the months before the boundary are dropped, and their keys deleted.
 */
export class EventRetention {
  constructor(
    private readonly ds: DataSource,
    private readonly redisKeyPrefix: string,
  ) {}

  async run(retentionMs: number | null, now: Date): Promise<RetentionOutcome> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const rows: { locked: boolean }[] = await runner.manager.query(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [RETENTION_JOB_LOCK],
      );
      if (!rows[0].locked)
        return {
          ...(await this.state()),
          ran: false,
          droppedPartitions: [],
          droppedDefaultRows: 0,
          heldBack: null,
        };
      try {
        return await this.runLocked(retentionMs, now);
      } finally {
        await runner.manager.query('SELECT pg_advisory_unlock($1)', [RETENTION_JOB_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async runLocked(retentionMs: number | null, now: Date): Promise<RetentionOutcome> {
    await this.ds.transaction(async (m) => {
      await ensureMonthsAhead(m, now, MONTHS_AHEAD);
      await partitionStrayMonths(m);
    });
    if (retentionMs !== null) {
      const horizon = new Date(now.getTime() - retentionMs);
      const target = boundaryFor(await listMonthPartitions(this.ds.manager), horizon);
      if (target !== null) await this.moveBoundary(target);
    }
    const { boundary, foldSeq } = await this.readState(this.ds.manager);
    const outcome: RetentionOutcome = {
      ran: true,
      boundary,
      snapshotSeq: await snapshotSeq(this.ds.manager),
      droppedPartitions: [],
      droppedDefaultRows: 0,
      heldBack: null,
    };
    if (boundary === null) return outcome;
    if (outcome.snapshotSeq < foldSeq) {
      await ensureSnapshotSchema(this.ds.manager);
      outcome.snapshotSeq = (
        await replayEvents(this.ds, SNAPSHOT_TABLES, { untilSeq: foldSeq })
      ).lastSeq;
    }
    for (const month of await listMonthPartitions(this.ds.manager)) {
      if (month.to.getTime() > boundary.getTime()) continue;
      const dropped = await this.drop(foldSeq, (m) => dropPartition(m, month.name));
      if (typeof dropped === 'string') return { ...outcome, heldBack: dropped };
      outcome.droppedPartitions.push(month.name);
    }
    const rows = await this.drop(foldSeq, (m) => dropDefaultRows(m, boundary));
    if (typeof rows === 'string') return { ...outcome, heldBack: rows };
    outcome.droppedDefaultRows = rows;
    return outcome;
  }

  /** Step 1: the boundary only ever moves forward, and S with it. */
  private async moveBoundary(target: Date): Promise<void> {
    await this.ds.transaction(async (m) => {
      await takeLogLock(m, 'exclusive');
      const { boundary } = await this.readState(m);
      if (boundary !== null && boundary.getTime() >= target.getTime()) return;
      const [{ s }]: { s: string | null }[] = await m.query(
        'SELECT max(seq) AS s FROM event_store WHERE time < $1',
        [target.toISOString()],
      );
      await m.query(
        `UPDATE event_retention
            SET boundary = $1, fold_seq = GREATEST(fold_seq, $2), updated_at = now()
          WHERE id = 1`,
        [target.toISOString(), Number(s ?? 0)],
      );
    });
  }

  /** Step 3, one partition (or the default partition's old rows) per transaction. */
  private async drop<T>(
    foldSeq: number,
    work: (m: EntityManager) => Promise<T>,
  ): Promise<T | string> {
    return this.ds.transaction(async (m) => {
      await m.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      await takeSnapshotLock(m);
      if ((await snapshotSeq(m)) < foldSeq) return `the snapshot is not at seq ${foldSeq} yet`;
      const building = await this.buildsBelow(m, foldSeq);
      if (building !== null) return building;
      return work(m);
    });
  }

  /** A build that has not replayed past `seq` yet still reads those events from the store. */
  private async buildsBelow(m: EntityManager, seq: number): Promise<string | null> {
    const rows: { id: number }[] = await m.query(
      `SELECT id FROM read_model_versions WHERE status = 'building' ORDER BY id`,
    );
    for (const { id } of rows) {
      const tables = new ReadModelVersion(id, this.redisKeyPrefix).tables;
      const [{ found }]: { found: boolean }[] = await m.query(
        'SELECT to_regclass($1) IS NOT NULL AS found',
        [tables.state],
      );
      const at = found ? (await readReadModelState(m, tables)).lastSeq : 0;
      if (at < seq) return `read-model version ${id} is being built and is at seq ${at} < ${seq}`;
    }
    return null;
  }

  private async state(): Promise<Pick<RetentionOutcome, 'boundary' | 'snapshotSeq'>> {
    const { boundary } = await this.readState(this.ds.manager);
    return { boundary, snapshotSeq: await snapshotSeq(this.ds.manager) };
  }

  private async readState(m: EntityManager): Promise<{ boundary: Date | null; foldSeq: number }> {
    const rows: { boundary: Date | null; fold_seq: string }[] = await m.query(
      'SELECT boundary, fold_seq FROM event_retention WHERE id = 1',
    );
    return { boundary: rows[0].boundary, foldSeq: Number(rows[0].fold_seq) };
  }
}

/** The keys first (they are found through the partition's rows), then the partition. */
async function dropPartition(m: EntityManager, name: string): Promise<void> {
  await m.query(
    `DELETE FROM event_keys k USING public.${name} e
      WHERE k.source = e.source AND k.event_id = e.event_id`,
  );
  await m.query(`DROP TABLE public.${name}`);
}

async function dropDefaultRows(m: EntityManager, boundary: Date): Promise<number> {
  const rows: { n: string }[] = await m.query(
    `WITH gone AS (
       DELETE FROM event_store_default WHERE time < $1 RETURNING source, event_id
     ), keys AS (
       DELETE FROM event_keys k USING gone g
        WHERE k.source = g.source AND k.event_id = g.event_id
     )
     SELECT count(*) AS n FROM gone`,
    [boundary.toISOString()],
  );
  return Number(rows[0].n);
}
