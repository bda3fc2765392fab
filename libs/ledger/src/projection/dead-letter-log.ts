import { EntityManager } from 'typeorm';

export interface DeadLetterEntry {
  topic: string;
  partition: number;
  offset: string;
  source: string | null;
  eventId: string | null;
  code: string;
  message: string;
}

/** Dead letters are also kept in PostgreSQL: the API reports a rejected command from here. */
export async function logDeadLetters(m: EntityManager, entries: DeadLetterEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await m.query(
    `INSERT INTO dead_letters (topic, partition, kafka_offset, source, event_id, code, message)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[],
                          $6::text[], $7::text[])`,
    [
      entries.map((e) => e.topic),
      entries.map((e) => e.partition),
      entries.map((e) => e.offset),
      entries.map((e) => e.source),
      entries.map((e) => e.eventId),
      entries.map((e) => e.code),
      entries.map((e) => e.message),
    ],
  );
}
