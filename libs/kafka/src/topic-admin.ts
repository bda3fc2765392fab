import { Admin, Kafka } from 'kafkajs';

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
    await waitForLeaders(admin, missing);
  } finally {
    await admin.disconnect();
  }
}

/**
 * createTopics' own `waitForLeaders` returns once the controller knows the leaders; a producer
 * that asks the broker's metadata cache right after can still hear "This server does not host
 * this topic-partition" (seen on a busy CI machine). Poll the metadata until every partition of
 * every new topic has a leader, bounded.
 */
async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    const ready = specs.every((spec) => {
      const partitions = topics.find((t) => t.name === spec.topic)?.partitions ?? [];
      return partitions.length === spec.partitions && partitions.every((p) => p.leader >= 0);
    });
    if (ready) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Kafka topics have no leader after ${LEADER_WAIT_MS} ms: ${specs.map((s) => s.topic).join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const LEADER_WAIT_MS = 30_000;

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
