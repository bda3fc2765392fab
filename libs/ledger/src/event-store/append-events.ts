import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { EntityManager } from 'typeorm';
import { copyHeader, copyTrailer, copyTuple } from './copy-binary';

export interface EventToAppend {
  source: string;
  id: string;
  type: string;
  time: Date;
  /** the structured CloudEvent as UTF-8 JSON */
  envelope: Buffer;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Appends one partition's batch and returns, by Kafka offset, the sequence number of each
 * event that was new.
 * A (source, id) already stored is skipped by the unique constraint: that is the dedupe.
 *
 * `order`: config changes keep log order (it is their meaning); usage events commute, so they
 * go in identity order, which keeps concurrent batches with the same redelivered events from
 * deadlocking on the unique index.
 *
 * The rows travel by binary COPY into a per-transaction staging table: about twice as fast as
 * one INSERT over unnest() arrays, whose array literals PostgreSQL parses slowly.
 */
export async function appendEvents(
  manager: EntityManager,
  events: readonly EventToAppend[],
  order: 'log' | 'identity',
): Promise<Map<string, number>> {
  if (events.length === 0) return new Map();
  await manager.query(
    `CREATE TEMP TABLE IF NOT EXISTS event_staging (
       n serial, source text, event_id text, type text, time timestamptz, envelope text,
       topic text, partition integer, kafka_offset bigint
     ) ON COMMIT DELETE ROWS`,
  );
  await copyRows(connectionOf(manager), events);
  const rows: { seq: string; kafka_offset: string }[] = await manager.query(
    `INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
     SELECT source, event_id, type, time, envelope, topic, partition, kafka_offset
       FROM event_staging ORDER BY ${order === 'log' ? 'n' : 'source, event_id'}
     ON CONFLICT (source, event_id) DO NOTHING
     RETURNING seq, kafka_offset`,
  );
  return new Map(rows.map((r) => [r.kafka_offset, Number(r.seq)]));
}

async function copyRows(client: PoolClient, events: readonly EventToAppend[]): Promise<void> {
  const tuples = events.map((e) =>
    copyTuple([
      { text: e.source },
      { text: e.id },
      { text: e.type },
      { timestamptz: e.time },
      { bytes: e.envelope },
      { text: e.topic },
      { int4: e.partition },
      { int8: BigInt(e.offset) },
    ]),
  );
  // A few large chunks, not one write per row: every chunk is a socket write and a CopyData.
  await pipeline(
    Readable.from(chunked([copyHeader(), ...tuples, copyTrailer()], 256)),
    client.query(
      copyFrom(
        `COPY event_staging (source, event_id, type, time, envelope, topic, partition, kafka_offset)
         FROM STDIN (FORMAT binary)`,
      ),
    ),
  );
}

function* chunked(buffers: Buffer[], size: number): Generator<Buffer> {
  for (let i = 0; i < buffers.length; i += size) yield Buffer.concat(buffers.slice(i, i + size));
}

function connectionOf(manager: EntityManager): PoolClient {
  const runner = manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  if (!runner?.databaseConnection) throw new Error('appendEvents needs a transaction');
  return runner.databaseConnection;
}

/** Takes back an event that turned out to be unacceptable (it goes to the DLQ instead). */
export async function removeEvent(manager: EntityManager, seq: number): Promise<void> {
  await manager.query('DELETE FROM event_store WHERE seq = $1', [seq]);
}
