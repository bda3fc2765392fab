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
 * A (source, id) already in event_keys is skipped: that is the dedupe. The keys live in their
 * own unpartitioned table because the store is partitioned by time and a unique index there
 * would have to include the time. A key is only ever inserted together with its event.
 *
 * `order`: config changes keep log order (it is their meaning); usage events commute, so they
 * go in identity order. Keys always go in identity order, which keeps concurrent batches with
 * the same redelivered events from deadlocking on the key index. A key twice in one batch:
 * the first in log order is the event, the other a duplicate.
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
  const client = connectionOf(manager);
  if (!staged.has(client)) {
    await manager.query(
      `CREATE TEMP TABLE IF NOT EXISTS event_staging (
         n serial, source text, event_id text, type text, time timestamptz, envelope text,
         topic text, partition integer, kafka_offset bigint
       ) ON COMMIT DELETE ROWS`,
    );
    staged.add(client);
  }
  try {
    await copyRows(client, events);
    const rows: { seq: string; kafka_offset: string }[] = await manager.query(
      `WITH firsts AS (
         SELECT DISTINCT ON (source, event_id) n, source, event_id
           FROM event_staging ORDER BY source, event_id, n
       ), fresh AS (
         INSERT INTO event_keys (source, event_id)
         SELECT source, event_id FROM firsts ORDER BY source, event_id
         ON CONFLICT DO NOTHING
         RETURNING source, event_id
       )
       INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
       SELECT s.source, s.event_id, s.type, s.time, s.envelope, s.topic, s.partition, s.kafka_offset
         FROM event_staging s
         JOIN firsts f ON f.n = s.n
         JOIN fresh k ON k.source = s.source AND k.event_id = s.event_id
        ORDER BY ${order === 'log' ? 's.n' : 's.source, s.event_id'}
       RETURNING seq, kafka_offset`,
    );
    return new Map(rows.map((r) => [r.kafka_offset, Number(r.seq)]));
  } catch (error) {
    // The transaction that created the table may have rolled back (and the table with it):
    // the retry of this batch creates it again.
    staged.delete(client);
    throw error;
  }
}

/**
 * Connections that have the staging table: a temporary table lives as long as its session, so
 * each connection creates it once instead of asking on every batch (a round trip per batch).
 */
const staged = new WeakSet<PoolClient>();

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

/**
 * Takes back an event that turned out to be unacceptable (it goes to the DLQ instead), with its
 * key: the store holds accepted events only, as before it had a key table.
 */
export async function removeEvent(manager: EntityManager, seq: number): Promise<void> {
  await manager.query(
    `WITH removed AS (DELETE FROM event_store WHERE seq = $1 RETURNING source, event_id)
     DELETE FROM event_keys k USING removed r
      WHERE k.source = r.source AND k.event_id = r.event_id`,
    [seq],
  );
}
