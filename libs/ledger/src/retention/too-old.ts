import { DeadLetterReason } from '@app/contracts';
import { EntityManager } from 'typeorm';

/**
 * The retention boundary: events before it are no longer kept, nor are their dedup keys, so one
 * arriving now cannot be told from a redelivery and is refused. NULL: nothing was ever dropped.
 * Read after the log lock (the retention job moves it under that lock held exclusively).
 */
export async function readRetentionBoundary(m: Pick<EntityManager, 'query'>): Promise<Date | null> {
  const rows: { boundary: Date | null }[] = await m.query(
    'SELECT boundary FROM event_retention WHERE id = 1',
  );
  return rows[0]?.boundary ?? null;
}

/** Null when the event is within retention, else why it is dead-lettered. */
export function tooOld(time: Date, boundary: Date | null): DeadLetterReason | null {
  if (boundary === null || time.getTime() >= boundary.getTime()) return null;
  return {
    code: 'too_old',
    message: `time ${time.toISOString()} is before ${boundary.toISOString()}, the oldest event the store still keeps (EVENT_RETENTION): it cannot be told from a redelivery of an event already counted`,
  };
}
