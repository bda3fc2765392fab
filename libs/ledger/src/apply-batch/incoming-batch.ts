import { DeadLetterReason, KafkaHeaderValue, LedgerEvent } from '@app/contracts';

export interface OriginalRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, KafkaHeaderValue | undefined>;
}

/** A consumed record after decoding: an event to apply or a reason to dead-letter it. */
export type DecodedRecord = { offset: string; original: OriginalRecord } &
  /** `envelope`: the record's value when it already is a storable structured CloudEvent */
  (
    | { event: LedgerEvent; envelope?: Buffer }
    | { rejected: DeadLetterReason; identity: { source: string; id: string } | null }
  );

/** One partition's slice of a Kafka batch. */
export interface IncomingBatch {
  group: string;
  topic: string;
  partition: number;
  records: DecodedRecord[];
  /** the offset after the last record, applied or not */
  nextOffset: bigint;
}

/** A record to publish to the DLQ, with everything needed to build it. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  original: OriginalRecord;
  reason: DeadLetterReason;
  identity: { source: string; id: string } | null;
}
