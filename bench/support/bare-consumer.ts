import { randomUUID } from 'crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

/**
 * A bare kafkajs consumer with the projector's fetch sizes: what reading the records costs
 * before anything is done with them. Resolves with records/s from its first batch to `count`.
 */
export async function bareConsumeRate(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 300_000,
): Promise<number> {
  let started = 0;
  let seen = 0;
  const consumer = await bareConsumer(kafka, topic, (messages) => {
    if (started === 0) started = performance.now();
    seen += messages.length;
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (seen < count) {
      if (Date.now() > deadline) throw new Error(`bare consumer read ${seen}/${count} records`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    await consumer.disconnect();
  }
}

/** Starts a consumer in a group of its own that hands every batch to `onBatch`. */
export async function bareConsumer(
  kafka: Kafka,
  topic: string,
  onBatch: (messages: KafkaMessage[]) => void,
  fromBeginning = true,
): Promise<{ disconnect(): Promise<void> }> {
  const consumer = kafka.consumer({
    groupId: `bench-bare-${randomUUID()}`,
    maxBytes: 16 << 20,
    maxBytesPerPartition: 4 << 20,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  await consumer.run({
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => onBatch(batch.messages),
  });
  return consumer;
}
