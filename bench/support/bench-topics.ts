import { createKafka, ensureTopics } from '@app/kafka';
import { RedisKeys } from '@app/ledger';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { BenchSettings } from '../runner/scenario';

export interface BenchTopics {
  usage: string;
  config: string;
  dlq: string;
  alerts: string;
}

export function benchKafka(settings: BenchSettings): Kafka {
  return createKafka({ brokers: settings.brokers, clientId: 'usage-ledger-bench' });
}

/** Fresh topics per scenario: the bench never reads or writes anyone else's. */
export async function createBenchTopics(
  kafka: Kafka,
  settings: BenchSettings,
  scenario: string,
  partitions: number,
): Promise<BenchTopics> {
  const base = `bench.${settings.runId}.${scenario}`;
  const topics = {
    usage: `${base}.usage`,
    config: `${base}.config`,
    dlq: `${base}.dlq`,
    alerts: `${base}.alerts`,
  };
  await ensureTopics(kafka, [
    { topic: topics.usage, partitions },
    { topic: topics.config, partitions: 1 },
    { topic: topics.dlq, partitions: 1 },
    { topic: topics.alerts, partitions: 1 },
  ]);
  return topics;
}

export async function deleteBenchTopics(kafka: Kafka, topics: BenchTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: Object.values(topics) });
  } finally {
    await admin.disconnect();
  }
}

/** Removes the keys a bench projector wrote under its own prefix (never FLUSHDB). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  // Every version's: a replay build leaves version 2 (and more) beside the live version 1.
  const pattern = RedisKeys.everyVersion(prefix);
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
