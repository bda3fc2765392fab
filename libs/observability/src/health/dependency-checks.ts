import { RedisClient } from '@app/redis';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

export type CheckResult = { status: 'up'; latency_ms: number } | { status: 'down'; error: string };

/** Runs a probe with a deadline: a dependency that hangs is reported down, never waited on. */
export async function probe(
  check: () => Promise<unknown>,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), deadline]);
    return { status: 'up', latency_ms: Date.now() - started };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export const postgresCheck = (ds: DataSource) => () => ds.query('SELECT 1');
export const redisCheck = (redis: RedisClient) => () => redis.ping();

export function kafkaCheck(kafka: Kafka): () => Promise<unknown> {
  return async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  };
}
