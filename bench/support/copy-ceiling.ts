import { createReadStream } from 'fs';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'stream/promises';
import { freshDatabase } from './bench-database';

/**
 * The raw PostgreSQL ceiling: one COPY of the same envelopes, in the event store's row shape,
 * into a table with the event store's indexes (primary key and unique source + id), and
 * nothing else. Returns rows/s.
 */
export async function copyCeiling(
  databaseUrl: string,
  file: string,
  rows: number,
): Promise<number> {
  const db = await freshDatabase(databaseUrl);
  try {
    await db.query('CREATE TABLE copy_ceiling (LIKE event_store INCLUDING ALL)');
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      db.query(
        copyFrom(
          `COPY copy_ceiling (source, event_id, type, time, envelope, topic, partition, kafka_offset)
           FROM STDIN (FORMAT binary)`,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows: counted } = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM copy_ceiling',
    );
    if (Number(counted[0].n) !== rows)
      throw new Error(`COPY stored ${counted[0].n} of ${rows} rows`);
    return rows / seconds;
  } finally {
    await db.end();
  }
}
