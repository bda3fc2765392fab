import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttp } from '../../apps/api/src/http/configure-http';
import { strictExpressAdapter } from '../../apps/api/src/http/strict-express';
import { openTestDatabase, resetDatabase } from './database-test-client';
import { KafkaTestClient, SuiteTopics, topicEnv } from './kafka-test-client';
import { startProjector } from './projector-harness';
import { clearTestRedis } from './test-read-model';
import { TEST_ENV } from './test-env';

/** A key from TEST_ENV.GOVERNANCE_API_KEYS. */
export const API_KEY = 'test-key';
export const AUTH = { Authorization: `Bearer ${API_KEY}` } as const;

export interface RunningApi {
  app: NestExpressApplication;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The real API (HTTP, PostgreSQL, Redis, Kafka) in this process, with per-suite settings. */
export async function startApi(env: Record<string, string>): Promise<RunningApi> {
  const config = AppConfig.fromEnv({ ...process.env, ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.register({ runProjector: false })],
  })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(strictExpressAdapter(), {
    logger: false,
    bodyParser: false,
  });
  app.enableShutdownHooks();
  await configureHttp(app);
  await app.init();
  return {
    app,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}

/** Empties both read models: PostgreSQL tables and this run's Redis keys. */
export async function resetReadModels(db: DataSource): Promise<void> {
  await resetDatabase(db);
  const redis = new Redis(TEST_ENV.REDIS_URL);
  try {
    await clearTestRedis(redis);
  } finally {
    redis.disconnect();
  }
}

/** The error body the API must answer with, spelled out once for every suite. */
export function bifrostError(status: number, message: string) {
  return { is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} };
}

/** What an API suite runs against: clean read models, its own topics, projector and API. */
export interface ApiStack {
  db: DataSource;
  api: RunningApi;
  close: () => Promise<void>;
}

/** `env` adds to the suite's topics, e.g. another Redis for both processes. */
export async function openApiStack(
  topics: SuiteTopics,
  kafka: KafkaTestClient,
  env: Record<string, string> = {},
): Promise<ApiStack> {
  const db = await openTestDatabase();
  await resetReadModels(db);
  await kafka.createTopics(topics);
  const [projector, api] = await Promise.all([
    startProjector({ ...topicEnv(topics), ...env }),
    startApi({ ...topicEnv(topics), ...env }),
  ]);
  return {
    db,
    api,
    close: async () => {
      await api.close();
      await projector.close();
      await kafka.close();
      await db.destroy();
    },
  };
}
