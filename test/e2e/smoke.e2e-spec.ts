import { INestApplicationContext } from '@nestjs/common';
import { windowStart } from '@app/governance';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { counterValue, openTestDatabase, resetDatabase } from '../support/database-test-client';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { startProjector } from '../support/projector-harness';
import { TEST_ENV } from '../support/test-env';
import { TEST_READ_MODEL } from '../support/test-read-model';
import { waitFor } from '../support/wait-for';

describe('smoke: a usage event through the real broker', () => {
  const topics = suiteTopics('smoke');
  const kafka = new KafkaTestClient();
  const redis = new Redis(TEST_ENV.REDIS_URL);
  const keys = TEST_READ_MODEL.keys;
  let db: DataSource;
  let projector: INestApplicationContext;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetDatabase(db);
    await kafka.createTopics(topics);
    projector = await startProjector(topicEnv(topics));
  });

  afterAll(async () => {
    await projector?.close();
    await kafka.close();
    await db?.destroy();
    redis.disconnect();
  });

  it('lands in PostgreSQL and Redis', async () => {
    const config = aConfig();
    await kafka.sendEvents(topics.config, [configUpserted(config)]);
    await waitFor('config in PostgreSQL', async () => {
      const rows: unknown[] = await db.query('SELECT 1 FROM model_configs WHERE id = $1', [
        config.id,
      ]);
      return rows.length === 1;
    });

    const usage = aUsage({ cost: usd('1.5') });
    await kafka.sendEvents(topics.usage, [usageRecorded(usage)]);

    const budget = { ...config.budgets[0], calendarAligned: false, anchor: config.createdAt };
    const window = windowStart(budget, usage.time);
    const pg = await waitFor('usage in PostgreSQL', async () => {
      const value = await counterValue(db, config.id, 'b-day', 'cost', window);
      return value > 0n ? value : undefined;
    });
    expect(pg).toBe(usd('1.5'));

    const snapshot = await waitFor('config in Redis', () =>
      redis.hget(keys.configs, config.id).then((v) => v ?? undefined),
    );
    const counterKey = (
      JSON.parse(snapshot) as { limits: { limit_id: string; counter_key: string }[] }
    ).limits.find((l) => l.limit_id === 'b-day')!.counter_key;
    const stored = await waitFor('usage in Redis', () =>
      redis.get(keys.counter(counterKey, window.getTime())).then((v) => v ?? undefined),
    );
    expect(stored.split(':')[1]).toBe(usd('1.5').toString());
  });
});
