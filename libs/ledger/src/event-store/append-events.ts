import { EntityManager } from 'typeorm';

export interface EventToAppend {
  source: string;
  id: string;
  type: string;
  time: Date;
  envelope: string;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Appends the batch in order and returns the sequence number of each event that was new.
 * A (source, id) already stored is skipped by the unique constraint: that is the dedupe.
 */
export async function appendEvents(
  manager: EntityManager,
  events: readonly EventToAppend[],
): Promise<Map<string, number>> {
  if (events.length === 0) return new Map();
  const rows: { seq: string; source: string; event_id: string }[] = await manager.query(
    `INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
     SELECT s, i, t, tm, e::json, tp, p, o
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
                   $6::text[], $7::int[], $8::bigint[])
            WITH ORDINALITY AS x(s, i, t, tm, e, tp, p, o, n)
      ORDER BY n
     ON CONFLICT (source, event_id) DO NOTHING
     RETURNING seq, source, event_id`,
    [
      events.map((e) => e.source),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.time.toISOString()),
      events.map((e) => e.envelope),
      events.map((e) => e.topic),
      events.map((e) => e.partition),
      events.map((e) => e.offset),
    ],
  );
  return new Map(rows.map((r) => [eventKey(r.source, r.event_id), Number(r.seq)]));
}

export function eventKey(source: string, id: string): string {
  return `${source}\u0000${id}`;
}

/** Takes back an event that turned out to be unacceptable (it goes to the DLQ instead). */
export async function removeEvent(manager: EntityManager, seq: number): Promise<void> {
  await manager.query('DELETE FROM event_store WHERE seq = $1', [seq]);
}
