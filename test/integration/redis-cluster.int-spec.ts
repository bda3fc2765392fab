import { RedisKeys } from '@app/ledger';
import { AUTH, ApiStack, openApiStack, RunningApi } from '../support/api-harness';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { openTestRedisCluster, TestRedisCluster } from '../support/test-redis-cluster';
import { waitFor } from '../support/wait-for';

interface ListBody {
  model_configs: { id: string; budgets: { current_usage: number }[] }[];
  total_count: number;
}

const LIST = '/api/governance/model-configs';
const ADMIT = '/api/governance/admissions';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

const seeded = [
  aConfig({ id: 'cl-1', modelName: 'cluster-gpt', provider: 'openai', createdAt: at(1) }),
  aConfig({ id: 'cl-2', modelName: 'cluster-claude', provider: 'anthropic', createdAt: at(2) }),
  aConfig({
    id: 'cl-3',
    modelName: 'cluster-gpt',
    provider: null,
    scope: 'virtual_key',
    scopeId: 'vk-1',
    createdAt: at(2),
  }),
  aConfig({ id: 'cl-4', modelName: 'Cluster_%', provider: 'openai', createdAt: at(3) }),
];

/** The projector and the API on a 3-master Redis Cluster: the read path and the resync. */
describe('the service on a Redis Cluster', () => {
  const topics = suiteTopics('redis-cluster');
  const kafka = new KafkaTestClient();
  const prefix = `ul-cluster-${process.pid}:`;
  const keys = new RedisKeys(prefix, 1);
  let cluster: TestRedisCluster;
  let stack: ApiStack | undefined;
  let api: RunningApi;

  const list = (query: Record<string, string>, fromMemory: boolean) =>
    api
      .http()
      .get(LIST)
      .query({ ...query, from_memory: String(fromMemory) })
      .set(AUTH);
  /** Both paths agree (PostgreSQL is the reference); returns the body. */
  async function listBoth(query: Record<string, string>): Promise<ListBody> {
    const [pg, redis] = await Promise.all([list(query, false), list(query, true)]);
    expect([pg.status, redis.status]).toEqual([200, 200]);
    expect(redis.body).toEqual(pg.body);
    return pg.body as ListBody;
  }
  const redisMatchesPostgres = async (total: number) => {
    const [pg, redis] = await Promise.all([list({}, false), list({}, true)]);
    return (
      (redis.body as ListBody).total_count === total &&
      JSON.stringify(redis.body) === JSON.stringify(pg.body)
    );
  };
  const usageOf = (body: ListBody, id: string) =>
    body.model_configs.find((c) => c.id === id)?.budgets[0]?.current_usage;

  beforeAll(async () => {
    cluster = await openTestRedisCluster('suite');
    stack = await openApiStack(topics, kafka, {
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_KEY_PREFIX: prefix,
    });
    ({ api } = stack);
    await kafka.sendEvents(
      topics.config,
      seeded.map((c) => configUpserted(c)),
    );
    await waitFor('seeded configs in both read models', () => redisMatchesPostgres(seeded.length));
    await kafka.sendEvents(
      topics.usage,
      Array.from({ length: 4 }, () =>
        usageRecorded(aUsage({ model: 'cluster-gpt', provider: 'openai', cost: usd('0.5') })),
      ),
    );
    await waitFor('usage in Redis', async () => {
      const body = (await list({}, true)).body as ListBody;
      return usageOf(body, 'cl-1') === 2;
    });
  });

  afterAll(async () => {
    await stack?.close();
    await cluster?.close();
  });

  it('runs on three masters and keeps the read model in one slot of one of them', async () => {
    const masters = cluster.client.nodes('master');
    expect(masters).toHaveLength(3);
    const perNode = await Promise.all(masters.map((n) => n.keys(keys.pattern)));
    const holders = perNode.filter((found) => found.length > 0);
    expect(holders).toHaveLength(1);
    const slots = await Promise.all(
      holders[0].map((k) => cluster.client.call('CLUSTER', 'KEYSLOT', k)),
    );
    expect(new Set(slots).size).toBe(1);
    expect(holders[0]).toEqual(expect.arrayContaining([keys.configs, keys.meta]));
  });

  it('lists, filters and pages from Redis exactly as from PostgreSQL, with live usage', async () => {
    const all = await listBoth({});
    expect(all.model_configs.map((c) => c.id)).toEqual(['cl-4', 'cl-3', 'cl-2', 'cl-1']);
    expect(usageOf(all, 'cl-1')).toBe(2);
    expect(usageOf(all, 'cl-3')).toBe(0);
    const queries: Record<string, string>[] = [
      { search: 'gpt' },
      { search: '_%' },
      { scope: 'virtual_key', scope_id: 'vk-1' },
      { provider: 'openai', limit: '1', offset: '1' },
      { offset: '10' },
    ];
    for (const query of queries) await listBoth(query);
    const one = await api.http().get(`${LIST}/cl-1`).query({ from_memory: 'true' }).set(AUTH);
    expect(one.status).toBe(200);
  });

  it('answers a create only once the cluster shows it (read-your-writes)', async () => {
    const res = await api
      .http()
      .post(LIST)
      .set(AUTH)
      .send({ model_name: 'cluster-new', budgets: [{ max_limit: 5, reset_duration: '1h' }] });
    expect(res.status).toBe(200);
    const id = (res.body as { model_config: { id: string } }).model_config.id;
    const fromRedis = await api
      .http()
      .get(`${LIST}/${id}`)
      .query({ from_memory: 'true' })
      .set(AUTH);
    expect(fromRedis.status).toBe(200);
  });

  it('rebuilds the whole read model after every key of it is deleted from the cluster', async () => {
    const total = seeded.length + 1;
    await cluster.deleteAll(keys);
    await waitFor('Redis rebuilt from PostgreSQL', () => redisMatchesPostgres(total), 10_000);
    expect(usageOf(await listBoth({}), 'cl-1')).toBe(2);
  });

  it('heals counters lost between the PostgreSQL commit and the cluster', async () => {
    // A projector that committed to PostgreSQL and died before writing Redis.
    await cluster.client.hset(keys.meta, 'seq', '0');
    const counters = (
      await Promise.all(
        cluster.client.nodes('master').map((n) => n.keys(keys.counter('*', 0).replace(/:0$/, ''))),
      )
    ).flat();
    expect(counters.length).toBeGreaterThan(0);
    await cluster.client.del(...counters);
    await waitFor('counters healed', async () => usageOf(await listBoth({}), 'cl-1') === 2, 10_000);
  });

  it('admits atomically on the cluster: holds, refusals, settlement and release in one slot', async () => {
    const admit = (requestId: string, cost: string) =>
      api.http().post(ADMIT).set(AUTH).send({
        request_id: requestId,
        provider: 'openai',
        model: 'cluster-gpt',
        estimated_cost: cost,
      });
    // cl-1: $100 a day with $2 used; cl-3 does not apply (no virtual key).
    const held = await admit('cl-hold', '97');
    expect(held.body).toMatchObject({ allowed: true });
    expect((await admit('cl-over', '2')).body).toMatchObject({
      allowed: false,
      blocked_by: [{ model_config_id: 'cl-1', current_usage: 2, reserved: 97 }],
    });
    const perNode = await Promise.all(
      cluster.client.nodes('master').map((n) => n.keys(`${keys.base}adm:*`)),
    );
    const admissionKeys = perNode.flat();
    expect(admissionKeys.length).toBeGreaterThan(0);
    const slots = await Promise.all(
      [keys.meta, ...admissionKeys].map((k) => cluster.client.call('CLUSTER', 'KEYSLOT', k)),
    );
    expect(new Set(slots).size).toBe(1);

    await kafka.sendEvents(topics.usage, [
      usageRecorded(
        aUsage({ requestId: 'cl-hold', model: 'cluster-gpt', provider: 'openai', cost: usd('1') }),
      ),
    ]);
    await waitFor('the hold settled by its usage', async () => {
      const res = await admit(`cl-probe-${Date.now()}`, '0');
      const limit = (
        res.body.limits as { id: string; current_usage: number; reserved: number }[]
      )[0];
      return limit?.current_usage === 3 && limit.reserved === 0;
    });
    expect((await admit('cl-after', '97')).body).toMatchObject({ allowed: true });
    const released = await api.http().delete(`${ADMIT}/cl-after`).set(AUTH);
    expect(released.body).toEqual({ request_id: 'cl-after', released: true });
  });
});
