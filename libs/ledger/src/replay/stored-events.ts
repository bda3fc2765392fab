import { decodeTrustedStoredEnvelope } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { SequencedEvent } from '../apply-batch/project-events';

/** A row of the event store as read: decoded by decodeStoredRows when it is applied. */
export interface StoredRow {
  seq: string;
  envelope: string;
}

/**
 * The rows of the log with `afterSeq < seq <= toSeq`, in seq order. A range of seqs, not a
 * LIMIT: the rows read are bounded by the range whatever the planner knows about the table
 * (with stale statistics, `ORDER BY seq LIMIT n` over the partitions sorted the whole rest of
 * the log for every page).
 */
export async function readStoredRows(
  m: EntityManager,
  afterSeq: number,
  toSeq: number,
): Promise<StoredRow[]> {
  // The primary key serves the range; the envelope is text, so no bytea decoding on either side.
  return m.query(
    `SELECT seq, envelope FROM event_store WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
    [afterSeq, toSeq],
  );
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
    events[i - from] = { seq: Number(r.seq), event: decodeTrustedStoredEnvelope(r.envelope) };
  }
  return events;
}

/** The newest seq in the store (0 when empty). */
export async function headSeq(m: EntityManager): Promise<number> {
  const rows: { head: string | null }[] = await m.query('SELECT max(seq) AS head FROM event_store');
  return Number(rows[0].head ?? 0);
}
