import { deadLetterRecord, DeadLetterRecord } from '@app/contracts';
import { DeadLetter } from '@app/ledger';
import { Producer } from 'kafkajs';

// Well under the broker's default max.message.bytes (1 MiB), which bounds one produce batch.
const MAX_SEND_BYTES = 512 * 1024;
// A value this large is cut: a dead letter that the DLQ refuses would block its partition.
const MAX_VALUE_BYTES = 256 * 1024;
const TRUNCATED_HEADER = 'dlq_value_truncated_from';

/** Sends dead letters in size-bounded chunks and waits for acknowledgement by all replicas. */
export function deadLetterPublisher(producer: Producer, dlqTopic: string) {
  return async (letters: readonly DeadLetter[]): Promise<void> => {
    const now = new Date();
    const records = letters.map((l) =>
      fitted(
        deadLetterRecord(
          { topic: l.topic, partition: l.partition, offset: l.offset, ...l.original },
          l.reason,
          now,
        ),
      ),
    );
    for (const chunk of chunksBySize(records)) {
      await producer.send({ topic: dlqTopic, acks: -1, messages: chunk });
    }
  };
}

function fitted(record: DeadLetterRecord): DeadLetterRecord {
  const value = record.value;
  if (!value || value.length <= MAX_VALUE_BYTES) return record;
  return {
    ...record,
    value: value.subarray(0, MAX_VALUE_BYTES),
    headers: { ...record.headers, [TRUNCATED_HEADER]: String(value.length) },
  };
}

function* chunksBySize(records: DeadLetterRecord[]): Generator<DeadLetterRecord[]> {
  let chunk: DeadLetterRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = (record.value?.length ?? 0) + (record.key?.length ?? 0) + 512;
    if (chunk.length > 0 && bytes + size > MAX_SEND_BYTES) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
