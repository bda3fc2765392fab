import { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** topic-level configs set at creation, e.g. `max.message.bytes` */
  config?: Record<string, string>;
}

/**
 * Topics are created explicitly, never auto-created (kafkajs has a subscribe-before-produce
 * race with auto-creation). An existing topic is left as it is.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Per partition: `low`, the earliest offset still in the log (where a partition that was never
 * applied starts), or `high`, the offset after the last record as of now.
 */
export async function partitionOffsets(
  kafka: Kafka,
  topic: string,
  which: 'low' | 'high',
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o[which])]));
  } finally {
    await admin.disconnect();
  }
}
