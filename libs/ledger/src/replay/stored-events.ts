import { decodeStoredEnvelope } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { SequencedEvent } from '../apply-batch/project-events';

/** The next events of the log after `afterSeq`, up to `untilSeq`, at most `limit`, in seq order. */
export async function readStoredEvents(
  m: EntityManager,
  afterSeq: number,
  untilSeq: number,
  limit: number,
): Promise<SequencedEvent[]> {
  // The primary key serves the range; the envelope is text, so no bytea decoding on either side.
  const rows: { seq: string; envelope: string }[] = await m.query(
    `SELECT seq, envelope FROM event_store WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
    [afterSeq, untilSeq, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), event: decodeStoredEnvelope(r.envelope) }));
}

/** The newest seq in the store (0 when empty). */
export async function headSeq(m: EntityManager): Promise<number> {
  const rows: { head: string | null }[] = await m.query('SELECT max(seq) AS head FROM event_store');
  return Number(rows[0].head ?? 0);
}
