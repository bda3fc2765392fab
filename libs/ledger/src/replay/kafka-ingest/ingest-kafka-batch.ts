import { DataSource } from 'typeorm';
import { DeadLetterPublisher } from '../../apply-batch/batch-applier';
import { DeadLetter, IncomingBatch } from '../../apply-batch/incoming-batch';
import {
  isConfigRecord,
  splitBatch,
  toAppend,
  toDeadLetter,
  toLogEntry,
} from '../../apply-batch/split-batch';
import { appendEvents } from '../../event-store/append-events';
import { logDeadLetters } from '../../projection/dead-letter-log';
import { readRetentionBoundary, tooOld } from '../../retention/too-old';
import { takeLogLock } from '../../versions/log-lock';

export interface IngestedBatch {
  /** events that were missing from the store and are in it now */
  appended: number;
  /** events the store already held (same source and id): not counted again */
  duplicates: number;
  /** records the live path dead-lettered before: left out again, not sent again */
  alreadyDeadLettered: number;
  /** records dead-lettered now (logged and sent to the DLQ, like the live path does) */
  deadLettered: DeadLetter[];
}

/**
 * One partition's slice of Kafka records, read by `replay build --from kafka`, into the event
 * store by the rules of live ingestion, without projecting it anywhere: identity dedup (a
 * record whose source and id the store holds is a duplicate), `too_old` against the retention
 * boundary, and a bad record dead-lettered with its reason. A record the live path already
 * dead-lettered (its offset is in dead_letters, including events a projection refused, which
 * never stay in the store) is left out: the same decision, and no second DLQ record.
 *
 * Under the log lock shared, like a live batch, so the build's watermark covers it.
 */
export async function ingestKafkaBatch(
  ds: DataSource,
  batch: IncomingBatch,
  publishDeadLetters: DeadLetterPublisher,
): Promise<IngestedBatch> {
  return ds.transaction(async (m) => {
    await takeLogLock(m, 'shared');
    const offsets = batch.records.map((r) => r.offset);
    const logged: { kafka_offset: string }[] = await m.query(
      `SELECT kafka_offset FROM dead_letters
        WHERE topic = $1 AND partition = $2 AND kafka_offset = ANY($3::bigint[])`,
      [batch.topic, batch.partition, offsets],
    );
    const before = new Set(logged.map((r) => String(r.kafka_offset)));
    const fresh = { ...batch, records: batch.records.filter((r) => !before.has(r.offset)) };
    const { events: decoded, deadLetters } = splitBatch(fresh, null);
    const boundary = await readRetentionBoundary(m);
    const events = decoded.filter((record) => {
      const reason = tooOld(record.event.time, boundary);
      if (reason !== null) deadLetters.push(toDeadLetter(batch, record, reason));
      return reason === null;
    });
    const seqs = await appendEvents(
      m,
      events.map((r) => toAppend(batch, r)),
      events.some(isConfigRecord) ? 'log' : 'identity',
    );
    deadLetters.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)); // source order
    const newlyLogged = await logDeadLetters(m, deadLetters.map(toLogEntry));
    const unsent = deadLetters.filter((l) => newlyLogged.has(l.offset));
    // Sent before the commit, as the live path does: a failed send rolls the batch back.
    if (unsent.length > 0) await publishDeadLetters(unsent);
    return {
      appended: seqs.size,
      duplicates: events.length - seqs.size,
      alreadyDeadLettered: before.size,
      deadLettered: unsent,
    };
  });
}
