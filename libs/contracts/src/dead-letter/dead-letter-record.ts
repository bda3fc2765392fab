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
  code: 'dlq_reason_code',
  reason: 'dlq_reason',
  sourceTopic: 'dlq_source_topic',
  sourcePartition: 'dlq_source_partition',
  sourceOffset: 'dlq_source_offset',
  failedAt: 'dlq_failed_at',
} as const;

/**
 * The original bytes and headers unchanged (so a fixed record can be replayed as-is), plus
 * `dlq_*` headers saying why and where from. A record dead-lettered twice keeps only the latest
 * `dlq_*` values: the newest failure is the one to act on.
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
  headers[DLQ_HEADERS.code] = reason.code;
  headers[DLQ_HEADERS.reason] = reason.message;
  headers[DLQ_HEADERS.sourceTopic] = original.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(original.partition);
  headers[DLQ_HEADERS.sourceOffset] = original.offset;
  headers[DLQ_HEADERS.failedAt] = now.toISOString();
  return { key: original.key, value: original.value, headers };
}
