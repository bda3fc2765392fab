import { decodeTrustedStoredEnvelope } from '@app/contracts';
import { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { EntityManager, QueryRunner } from 'typeorm';
import { SequencedEvent } from '../apply-batch/project-events';

/** A row of the event store as read: decoded by decodeStoredRows when it is applied. */
export interface StoredRow {
  seq: number;
  envelope: string;
}

/**
 * The rows of the log with `afterSeq < seq <= toSeq`, in seq order. A range of seqs, not a
 * LIMIT: the rows read are bounded by the range whatever the planner knows about the table
 * (with stale statistics, `ORDER BY seq LIMIT n` over the partitions sorted the whole rest of
 * the log for every page).
 *
 * Read by binary COPY: a row is two length-prefixed fields, so no row object, no seq string
 * and no protocol message per row (about a third less CPU than a SELECT on either side). In
 * `m`'s transaction when it has one (the join), else on a pooled connection of its own.
 */
export async function readStoredRows(
  m: EntityManager,
  afterSeq: number,
  toSeq: number,
): Promise<StoredRow[]> {
  // COPY takes no parameters: the bounds are integers, written out.
  if (!Number.isSafeInteger(afterSeq) || !Number.isSafeInteger(toSeq)) {
    throw new Error(`invalid seq range (${afterSeq}, ${toSeq}]`);
  }
  const sql = `COPY (SELECT seq, envelope FROM event_store WHERE seq > ${afterSeq} AND seq <= ${toSeq} ORDER BY seq) TO STDOUT (FORMAT binary)`;
  const own: QueryRunner | null = m.queryRunner ? null : m.connection.createQueryRunner();
  try {
    const client = (await (own ?? m.queryRunner!).connect()) as PoolClient;
    const inTransaction = own === null && m.queryRunner!.isTransactionActive;
    return await withSeqOrderedPlan(client, inTransaction, async () => {
      const parser = new StoredRowParser();
      for await (const chunk of client.query(copyTo(sql))) parser.push(chunk as Buffer);
      return parser.finish();
    });
  } finally {
    await own?.release();
  }
}

/**
 * Runs `read` with the planner told to walk the partitions' (seq, time) indexes in order (a
 * Merge Append of index scans) instead of a bitmap scan and a sort. The planner only picks the
 * walk when its statistics know the range: the head of a growing log is past them (and a
 * restored store has none), where it estimated 1,000 rows for a page of 10,000 and sorted
 * them on disk, 25-60 ms of PostgreSQL time a page against 6-12 ms. On a pooled connection the
 * read gets a transaction of its own (SET LOCAL ends with it). Inside the caller's (the join)
 * the settings are put back after the read, not by a savepoint: the rebuild's config writes
 * run on that connection while pages are read, and rolling back to a savepoint undid them.
 */
async function withSeqOrderedPlan<T>(
  client: PoolClient,
  inTransaction: boolean,
  read: () => Promise<T>,
): Promise<T> {
  if (!inTransaction) {
    await client.query(`BEGIN; ${PLAN_SETTINGS}`);
    try {
      const result = await read();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  const { rows } = await client.query<{ sort: string; bitmap: string }>(
    `SELECT current_setting('enable_sort') AS sort, current_setting('enable_bitmapscan') AS bitmap`,
  );
  await client.query(PLAN_SETTINGS);
  const result = await read();
  // (A failed read fails the caller's transaction, and its settings with it.)
  await client.query(
    `SELECT set_config('enable_sort', $1, true), set_config('enable_bitmapscan', $2, true)`,
    [rows[0].sort, rows[0].bitmap],
  );
  return result;
}

const PLAN_SETTINGS = 'SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off';

// PGCOPY\n\377\r\n\0, then 32-bit flags and header-extension length (both 0 from the server).
const HEADER_BYTES = 19;

/** Binary COPY tuples of (int8 seq, text envelope) from CopyData chunks of any size. */
export class StoredRowParser {
  private readonly rows: StoredRow[] = [];
  private rest: Buffer | null = null;
  private headerRead = false;
  private done = false;

  push(chunk: Buffer): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let at = 0;
    if (!this.headerRead) {
      if (buf.length < HEADER_BYTES) {
        this.rest = buf;
        return;
      }
      at = HEADER_BYTES;
      this.headerRead = true;
    }
    while (!this.done && buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.done = true;
        at += 2;
        break;
      }
      if (fields !== 2) throw new Error(`event store COPY: a row of ${fields} fields`);
      // 2 (field count) + 4 + 8 (seq) + 4 (envelope length), then the envelope
      if (buf.length - at < 18) break;
      if (buf.readInt32BE(at + 2) !== 8) throw new Error('event store COPY: seq is not an int8');
      const length = buf.readInt32BE(at + 14);
      if (buf.length - at < 18 + length) break;
      const seq = Number(buf.readBigInt64BE(at + 6));
      this.rows.push({ seq, envelope: buf.toString('utf8', at + 18, at + 18 + length) });
      at += 18 + length;
    }
    this.rest = at < buf.length ? buf.subarray(at) : null;
  }

  finish(): StoredRow[] {
    if (!this.done || this.rest !== null) throw new Error('event store COPY ended mid-row');
    return this.rows;
  }
}

/**
 * The events of `rows[from, to)`. Decoded a slice at a time as they are applied, not a page
 * at a time as they arrive: a decoded event then dies young, in the cheap collection, instead
 * of surviving the page's time in memory (and the read ahead's).
 */
export function decodeStoredRows(
  rows: readonly StoredRow[],
  from: number,
  to: number,
): SequencedEvent[] {
  const events: SequencedEvent[] = new Array<SequencedEvent>(to - from);
  for (let i = from; i < to; i += 1) {
    const r = rows[i];
    events[i - from] = { seq: r.seq, event: decodeTrustedStoredEnvelope(r.envelope) };
  }
  return events;
}

/** The newest seq in the store (0 when empty). */
export async function headSeq(m: EntityManager): Promise<number> {
  const rows: { head: string | null }[] = await m.query('SELECT max(seq) AS head FROM event_store');
  return Number(rows[0].head ?? 0);
}
