import { DLQ_TRUNCATED_HEADER, deadLetterRecord, DeadLetterRecord } from '@app/contracts';
import { DeadLetter } from '@app/ledger';
import { Producer } from 'kafkajs';

// Well under the broker's default max.message.bytes (1 MiB), which bounds one produce batch.
const MAX_SEND_BYTES = 512 * 1024;
// What is left of a value that the DLQ topic refuses whole (see sendRefusingNothing).
const TRUNCATED_VALUE_BYTES = 256 * 1024;

/**
 * Sends dead letters in size-bounded chunks and waits for acknowledgement by all replicas. The
 * original bytes are kept whole; only a record the DLQ topic itself refuses as too large is
 * cut (and says so in `dlq_value_truncated_from`), since a dead letter that can never be sent
 * would hold back its partition for good.
 */
export function deadLetterPublisher(producer: Producer, dlqTopic: string) {
  const send = (messages: DeadLetterRecord[]) =>
    producer.send({ topic: dlqTopic, acks: -1, messages });
  return async (letters: readonly DeadLetter[]): Promise<void> => {
    const now = new Date();
    const records = letters.map((l) =>
      deadLetterRecord(
        { topic: l.topic, partition: l.partition, offset: l.offset, ...l.original },
        l.reason,
        now,
      ),
    );
    for (const chunk of chunksBySize(records)) await sendRefusingNothing(send, chunk);
  };
}

async function sendRefusingNothing(
  send: (messages: DeadLetterRecord[]) => Promise<unknown>,
  chunk: DeadLetterRecord[],
): Promise<void> {
  try {
    await send(chunk);
  } catch (error) {
    if (!isTooLarge(error)) throw error;
    // One by one, so only the record the topic refuses is cut. A record of the chunk that did
    // land is sent again: the repeat carries the same dlq_id, as after a crash.
    for (const record of chunk) {
      await send([record]).catch((e: unknown) => {
        if (!isTooLarge(e)) throw e;
        return send([truncated(record)]);
      });
    }
  }
}

function isTooLarge(error: unknown): boolean {
  const types = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
  for (let e = error as { type?: unknown; originalError?: unknown } | undefined; e;) {
    if (typeof e.type === 'string' && types.has(e.type)) return true;
    e = e.originalError as typeof e;
  }
  return false;
}

function truncated(record: DeadLetterRecord): DeadLetterRecord {
  const value = record.value;
  if (!value || value.length <= TRUNCATED_VALUE_BYTES) return record;
  return {
    ...record,
    value: value.subarray(0, TRUNCATED_VALUE_BYTES),
    headers: { ...record.headers, [DLQ_TRUNCATED_HEADER]: String(value.length) },
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
