import { DataSource, EntityManager } from 'typeorm';

export interface DeadLetterEntry {
  topic: string;
  partition: number;
  offset: string;
  source: string | null;
  eventId: string | null;
  code: string;
  message: string;
}

/**
 * Dead letters are also kept in PostgreSQL: the API reports a rejected command from here.
 * Returns the offsets logged now; a source record logged (and so sent) before is left out, so
 * it is not sent to the DLQ again.
 */
export async function logDeadLetters(
  m: EntityManager,
  entries: DeadLetterEntry[],
): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const rows: { kafka_offset: string }[] = await m.query(
    `INSERT INTO dead_letters (topic, partition, kafka_offset, source, event_id, code, message)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[],
                          $6::text[], $7::text[])
     ON CONFLICT ON CONSTRAINT dead_letters_source DO NOTHING
     RETURNING kafka_offset`,
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
  return new Set(rows.map((r) => String(r.kafka_offset)));
}

export interface LoggedDeadLetter {
  dead_lettered_at: Date;
  code: string;
  message: string;
  topic: string;
  partition: number;
  kafka_offset: string;
  source: string | null;
  event_id: string | null;
}

/** The operator's view of the dead-letter log (`cli dlq`). */
export class DeadLetterReader {
  constructor(private readonly dataSource: DataSource) {}

  newest(limit: number): Promise<LoggedDeadLetter[]> {
    return this.dataSource.query(
      `SELECT dead_lettered_at, code, message, topic, partition, kafka_offset, source, event_id
         FROM dead_letters ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  async countsByCode(): Promise<{ code: string; count: number }[]> {
    const rows: { code: string; n: string }[] = await this.dataSource.query(
      'SELECT code, count(*) AS n FROM dead_letters GROUP BY code ORDER BY n DESC',
    );
    return rows.map((r) => ({ code: r.code, count: Number(r.n) }));
  }
}
