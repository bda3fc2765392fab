import { storableText } from '@app/governance';
import { DeadLetterReason } from './dead-letter-reason';

/** kafkajs `IHeaders` values, without importing kafkajs into the contracts lib. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[];

/** The consumed record, as the consumer saw it. */
export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, KafkaHeaderValue | undefined>;
}

/** What the DLQ producer sends; assignable to a kafkajs `Message`. */
export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, KafkaHeaderValue>;
}

export const DLQ_HEADERS = {
  id: 'dlq_id',
  originalKey: 'dlq_original_key',
  code: 'dlq_reason_code',
  reason: 'dlq_reason',
  sourceTopic: 'dlq_source_topic',
  sourcePartition: 'dlq_source_partition',
  sourceOffset: 'dlq_source_offset',
  failedAt: 'dlq_failed_at',
} as const;

/**
 * Set only on a dead letter whose value the DLQ topic refused whole (larger than its
 * max.message.bytes): the original length in bytes. The value then holds the first 256 KiB.
 */
export const DLQ_TRUNCATED_HEADER = 'dlq_value_truncated_from';

/**
 * One dead letter's identity: its source coordinates, so a record sent again after a crash
 * (DLQ send done, commit lost) carries the same id and consumers can drop the repeat. Kafka
 * topic names cannot contain '/', so the id is unambiguous.
 */
export function deadLetterId(source: { topic: string; partition: number; offset: string }): string {
  return `${source.topic}/${source.partition}/${source.offset}`;
}

/**
 * The original value and headers unchanged (so a fixed record can be replayed as-is), plus
 * `dlq_*` headers saying why and where from. The record is keyed by its `dlq_id` (the original
 * key moves to `dlq_original_key`): repeats land on one partition and a compacted DLQ keeps one.
 * A record dead-lettered twice keeps only the latest `dlq_*` values: the newest failure is the
 * one to act on.
 */
export function deadLetterRecord(
  original: DeadLetterSource,
  reason: DeadLetterReason,
  now: Date,
): DeadLetterRecord {
  const headers: Record<string, KafkaHeaderValue> = {};
  for (const [name, value] of Object.entries(original.headers)) {
    if (value !== undefined) headers[name] = value;
  }
  delete headers[DLQ_HEADERS.originalKey];
  const id = deadLetterId(original);
  headers[DLQ_HEADERS.id] = id;
  if (original.key !== null) headers[DLQ_HEADERS.originalKey] = original.key;
  headers[DLQ_HEADERS.code] = reason.code;
  headers[DLQ_HEADERS.reason] = storableText(reason.message);
  headers[DLQ_HEADERS.sourceTopic] = original.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(original.partition);
  headers[DLQ_HEADERS.sourceOffset] = original.offset;
  headers[DLQ_HEADERS.failedAt] = now.toISOString();
  return { key: Buffer.from(id), value: original.value, headers };
}
