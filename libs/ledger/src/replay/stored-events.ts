import { decodeTrustedStoredEnvelope } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { SequencedEvent } from '../apply-batch/project-events';

/**
 * The events of the log with `afterSeq < seq <= toSeq`, in seq order. A range of seqs, not a
 * LIMIT: the rows read are bounded by the range whatever the planner knows about the table
 * (with stale statistics, `ORDER BY seq LIMIT n` over the partitions sorted the whole rest of
 * the log for every page).
 */
export async function readStoredEvents(
  m: EntityManager,
  afterSeq: number,
  toSeq: number,
): Promise<SequencedEvent[]> {
  // The primary key serves the range; the envelope is text, so no bytea decoding on either side.
  const rows: { seq: string; envelope: string }[] = await m.query(
    `SELECT seq, envelope FROM event_store WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
    [afterSeq, toSeq],
  );
  return rows.map((r) => ({ seq: Number(r.seq), event: decodeTrustedStoredEnvelope(r.envelope) }));
}

/** The newest seq in the store (0 when empty). */
export async function headSeq(m: EntityManager): Promise<number> {
  const rows: { head: string | null }[] = await m.query('SELECT max(seq) AS head FROM event_store');
  return Number(rows[0].head ?? 0);
}
