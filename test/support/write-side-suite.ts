import { INestApplicationContext } from '@nestjs/common';
import { windowStart, TrackedLimit } from '@app/governance';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { openTestDatabase, resetDatabase } from './database-test-client';
import { KafkaTestClient, SuiteTopics, suiteTopics, topicEnv } from './kafka-test-client';
import { startProjector } from './projector-harness';
import { TEST_ENV } from './test-env';
import { waitFor } from './wait-for';
import { decodeCounterValue, loadLimit, StoredLimit } from '@app/ledger';
import { TEST_READ_MODEL } from './test-read-model';

/**
 * Everything a write-side suite needs: its own topics, a clean database, the real projector,
 * and readers for what PostgreSQL and Redis hold.
 */
export class WriteSideSuite {
  readonly topics: SuiteTopics;
  /** replaceable before setUp, for a suite on a private broker */
  kafka = new KafkaTestClient();
  redis = new Redis(TEST_ENV.REDIS_URL);
  readonly keys = TEST_READ_MODEL.keys;
  db!: DataSource;
  projector: INestApplicationContext | null = null;

  constructor(
    name: string,
    private readonly usagePartitions = 2,
  ) {
    this.topics = suiteTopics(name);
  }

  /** Reads another Redis (a test's private one) instead of the shared test db. */
  useRedis(url: string): void {
    this.redis.disconnect();
    this.redis = new Redis(url);
  }

  get env(): Record<string, string> {
    return topicEnv(this.topics, this.usagePartitions);
  }

  async setUp(startTheProjector = true): Promise<void> {
    this.db = await openTestDatabase();
    await resetDatabase(this.db);
    await this.kafka.createTopics(this.topics, this.usagePartitions);
    if (startTheProjector) await this.startProjector();
  }

  async startProjector(overrides: Record<string, string> = {}): Promise<void> {
    this.projector = await startProjector({ ...this.env, ...overrides });
  }

  async stopProjector(): Promise<void> {
    await this.projector?.close();
    this.projector = null;
  }

  async tearDown(): Promise<void> {
    await this.stopProjector();
    await this.kafka.close();
    await this.db?.destroy();
    this.redis.disconnect();
  }

  /** Waits until the event store holds `count` events in all. */
  async eventsApplied(count: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${count} events applied`,
      async () => {
        const [{ n }]: { n: string }[] = await this.db.query(
          'SELECT count(*) AS n FROM event_store',
        );
        return Number(n) >= count;
      },
      timeoutMs,
    );
  }

  async deadLettersLogged(
    count: number,
  ): Promise<{ code: string; message: string; kafka_offset: string }[]> {
    return waitFor(`${count} dead letters`, async () => {
      const rows: { code: string; message: string; kafka_offset: string }[] = await this.db.query(
        'SELECT code, message, kafka_offset FROM dead_letters ORDER BY id',
      );
      return rows.length >= count ? rows : undefined;
    });
  }

  async limitsOf(configId: string): Promise<TrackedLimit[]> {
    const rows: { limits: StoredLimit[] }[] = await this.db.query(
      'SELECT limits FROM model_configs WHERE id = $1 AND deleted_at IS NULL',
      [configId],
    );
    return rows.length === 0 ? [] : rows[0].limits.map(loadLimit);
  }

  async limit(configId: string, limitId: string, dimension: string): Promise<TrackedLimit> {
    const found = (await this.limitsOf(configId)).find(
      (l) => l.limitId === limitId && l.dimension === dimension,
    );
    if (!found) throw new Error(`no ${dimension} limit ${limitId} on ${configId}`);
    return found;
  }

  /** PostgreSQL's usage of a limit in the window containing `at`. */
  async usageInPostgres(configId: string, limitId: string, dimension: string, at = new Date()) {
    const limit = await this.limit(configId, limitId, dimension);
    const rows: { value: string }[] = await this.db.query(
      'SELECT value FROM usage_counters WHERE counter_key = $1 AND window_start = $2',
      [limit.counterKey, windowStart(limit, at).toISOString()],
    );
    return rows.length === 0 ? 0n : BigInt(rows[0].value);
  }

  /** Redis's usage of a limit in the window containing `at` (absent = 0). */
  async usageInRedis(configId: string, limitId: string, dimension: string, at = new Date()) {
    const limit = await this.limit(configId, limitId, dimension);
    const raw = await this.redis.get(
      this.keys.counter(limit.counterKey, windowStart(limit, at).getTime()),
    );
    return decodeCounterValue(raw);
  }

  async configInRedis(configId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.configs, configId)) === 1;
  }
}
