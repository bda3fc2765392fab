import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUTH, resetReadModels, RunningApi, startApi } from '../support/api-harness';
import { openTestDatabase } from '../support/database-test-client';
import { aConfig, configUpserted } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { startProjector } from '../support/projector-harness';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const LIST = '/api/governance/model-configs';
const DEPENDENCY_TIMEOUT_MS = 1000;
// The bound a 503 must arrive within: the dependency timeout plus generous scheduling slack.
const BOUND_MS = DEPENDENCY_TIMEOUT_MS + 1500;

/**
 * The API reaches PostgreSQL and Redis through TCP proxies the tests cut; the projector (and
 * the seeding) use them directly.
 */
describe('the API with a dependency down', () => {
  const topics = suiteTopics('api-outage');
  const kafka = new KafkaTestClient();
  const pgProxy = TcpProxy.for(TEST_ENV.DATABASE_URL);
  const redisProxy = TcpProxy.for(TEST_ENV.REDIS_URL);
  const config = aConfig({ id: 'mc-outage' });
  let db: DataSource;
  let projector: INestApplicationContext;
  let api: RunningApi;

  const list = (fromMemory: boolean) =>
    api
      .http()
      .get(LIST)
      .query({ from_memory: String(fromMemory) })
      .set(AUTH);
  async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
    const started = Date.now();
    const result = await work();
    return [result, Date.now() - started];
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetReadModels(db);
    await kafka.createTopics(topics);
    await Promise.all([pgProxy.start(), redisProxy.start()]);
    [projector, api] = await Promise.all([
      startProjector(topicEnv(topics)),
      startApi({
        ...topicEnv(topics),
        DATABASE_URL: pgProxy.withProxy(TEST_ENV.DATABASE_URL),
        REDIS_URL: redisProxy.withProxy(TEST_ENV.REDIS_URL),
        DEPENDENCY_TIMEOUT: `${DEPENDENCY_TIMEOUT_MS}ms`,
      }),
    ]);
    await kafka.sendEvents(topics.config, [configUpserted(config)]);
    await waitFor('the config on both paths', async () => {
      const [pg, redis] = await Promise.all([list(false), list(true)]);
      return pg.body.total_count === 1 && redis.body.total_count === 1;
    });
  });

  afterAll(async () => {
    await api?.close();
    await projector?.close();
    await Promise.all([pgProxy.stop(), redisProxy.stop()]);
    await kafka.close();
    await db?.destroy();
  });

  it('reports each dependency on /health/ready', async () => {
    const res = await api.http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      checks: { kafka: { status: 'up' }, postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  describe('Redis unreachable', () => {
    beforeAll(() => redisProxy.stop());
    afterAll(async () => {
      await redisProxy.start();
      await waitFor('Redis back', async () => (await list(true)).status === 200);
    });

    it('answers from_memory=true with a 503 within a bounded time', async () => {
      const [res, ms] = await timed(() => list(true));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status_code: 503,
        error: { message: expect.stringMatching(/^Redis is unavailable/) },
      });
      expect(ms).toBeLessThan(BOUND_MS);
      const get = await api
        .http()
        .get(`${LIST}/${config.id}`)
        .query({ from_memory: 'true' })
        .set(AUTH);
      expect(get.status).toBe(503);
    });

    it('keeps serving the PostgreSQL path', async () => {
      const res = await list(false);
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBe(1);
    });

    it('reports redis down on /health/ready', async () => {
      const res = await api.http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({
        postgres: { status: 'up' },
        redis: { status: 'down' },
      });
    });
  });

  describe('PostgreSQL unreachable', () => {
    let before: unknown;
    beforeAll(async () => {
      before = (await list(true)).body;
      await pgProxy.stop();
    });

    it('still answers from_memory=true from Redis alone, unchanged', async () => {
      const res = await list(true);
      expect(res.status).toBe(200);
      expect(res.headers['x-data-source']).toBe('redis');
      expect(res.body).toEqual(before);
      const get = await api
        .http()
        .get(`${LIST}/${config.id}`)
        .query({ from_memory: 'true' })
        .set(AUTH);
      expect(get.status).toBe(200);
      expect(get.body.model_config.id).toBe(config.id);
    });

    it('answers the PostgreSQL path and commands with a 503 within a bounded time', async () => {
      for (const request of [
        () => list(false),
        () => api.http().get(`${LIST}/${config.id}`).set(AUTH),
        () => api.http().post(LIST).set(AUTH).send({ model_name: 'while-down' }),
        () => api.http().delete(`${LIST}/${config.id}`).set(AUTH),
      ]) {
        const [res, ms] = await timed(request);
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(/^PostgreSQL is unavailable/);
        expect(ms).toBeLessThan(BOUND_MS);
      }
    });

    it('reports postgres down and redis up on /health/ready', async () => {
      const res = await api.http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({
        postgres: { status: 'down' },
        redis: { status: 'up' },
      });
    });
  });
});
