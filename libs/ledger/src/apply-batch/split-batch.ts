import { DeadLetterReason, LedgerEvent, USAGE_RECORDED_V1 } from '@app/contracts';
import { storableText } from '@app/governance';
import { EventToAppend } from '../event-store/append-events';
import { serializeEnvelope } from '../event-store/stored-envelope';
import { DeadLetterEntry } from '../projection/dead-letter-log';
import { DeadLetter, DecodedRecord, IncomingBatch } from './incoming-batch';

export type EventRecord = Extract<DecodedRecord, { event: LedgerEvent }>;

/**
 * Drops records below the stored position (already applied: Kafka's committed offset may
 * lag PostgreSQL's) and separates events from records that failed decoding.
 */
export function splitBatch(
  batch: IncomingBatch,
  position: bigint | null,
): { events: EventRecord[]; deadLetters: DeadLetter[]; skipped: number } {
  const events: EventRecord[] = [];
  const deadLetters: DeadLetter[] = [];
  let skipped = 0;
  for (const record of batch.records) {
    if (position !== null && BigInt(record.offset) < position) {
      skipped += 1;
    } else if ('event' in record) {
      events.push(record);
    } else {
      deadLetters.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: record.offset,
        original: record.original,
        reason: record.rejected,
        identity: record.identity,
      });
    }
  }
  return { events, deadLetters, skipped };
}

/** Whether a record changes configs (and so needs the projection to itself). */
export function isConfigRecord(record: DecodedRecord): boolean {
  return 'event' in record && record.event.type !== USAGE_RECORDED_V1;
}

export function toAppend(batch: IncomingBatch, record: EventRecord): EventToAppend {
  return {
    source: record.event.source,
    id: record.event.id,
    type: record.event.type,
    time: record.event.time,
    envelope: record.envelope ?? serializeEnvelope(record.event),
    topic: batch.topic,
    partition: batch.partition,
    offset: record.offset,
  };
}

export function toDeadLetter(
  batch: IncomingBatch,
  record: EventRecord,
  reason: DeadLetterReason,
): DeadLetter {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: record.offset,
    original: record.original,
    reason,
    identity: { source: record.event.source, id: record.event.id },
  };
}

export function toLogEntry(letter: DeadLetter): DeadLetterEntry {
  return {
    topic: letter.topic,
    partition: letter.partition,
    offset: letter.offset,
    source: letter.identity?.source ?? null,
    eventId: letter.identity?.id ?? null,
    code: letter.reason.code,
    // Reasons name what the producer sent; the log must be able to hold them whatever it was.
    message: storableText(letter.reason.message),
  };
}
