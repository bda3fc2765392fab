import { ModelConfigDefinition } from '@app/governance';
import {
  API_KEY,
  ApiStack,
  AUTH,
  bifrostError,
  openApiStack,
  RunningApi,
} from '../support/api-harness';

import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';

import { waitFor } from '../support/wait-for';

interface ListBody {
  model_configs: { id: string; budgets: { current_usage: number }[]; rate_limit: unknown }[];
  count: number;
  total_count: number;
  limit: number;
  offset: number;
}

const LIST = '/api/governance/model-configs';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

/** The seeded configs: names with pattern characters, null providers and tied created_at. */
const seeded: ModelConfigDefinition[] = [
  aConfig({ id: 'mc-01', modelName: 'gpt-4o', provider: 'openai', createdAt: at(1) }),
  aConfig({ id: 'mc-02', modelName: 'gpt-4o-mini', provider: null, createdAt: at(2) }),
  aConfig({
    id: 'mc-03',
    modelName: 'GPT_4%\\x',
    provider: 'openai',
    scope: 'virtual_key',
    scopeId: 'vk-1',
    createdAt: at(3),
  }),
  aConfig({
    id: 'mc-04',
    modelName: 'claude-3',
    provider: 'anthropic',
    scope: 'user',
    scopeId: 'u-1',
    createdAt: at(3),
  }),
  aConfig({
    id: 'mc-05',
    modelName: '*',
    provider: null,
    scope: 'virtual_key',
    scopeId: 'vk-2',
    createdAt: at(4),
  }),
  aConfig({
    id: 'mc-06',
    modelName: 'gpt-4o',
    provider: 'azure',
    scope: 'virtual_key',
    scopeId: 'vk-1',
    createdAt: at(5),
    budgets: [],
    rateLimit: null,
  }),
  aConfig({ id: 'mc-07', modelName: 'Gpt4oPercent', provider: 'OpenAI', createdAt: at(5) }),
  aConfig({ id: 'mc-08', modelName: 'usage-model', provider: 'openai', createdAt: at(6) }),
];

/** What the issue says a filter selects, in the documented order (test oracle). */
function expectedIds(q: Record<string, string>): string[] {
  return seeded
    .filter(
      (c) =>
        (q.search === undefined || c.modelName.toLowerCase().includes(q.search.toLowerCase())) &&
        (q.scope === undefined || c.scope === q.scope) &&
        (q.scope_id === undefined || c.scopeId === q.scope_id) &&
        (q.provider === undefined || c.provider === q.provider),
    )
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((c) => c.id);
}

function combinations(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const search of [undefined, 'gpt', 'GPT_', '%', '\\', '4o', 'zzz'])
    for (const scope of [undefined, 'global', 'virtual_key', 'user'])
      for (const provider of [undefined, 'openai', 'OpenAI'])
        for (const scopeId of [undefined, 'vk-1']) {
          const q: Record<string, string> = {};
          if (search !== undefined) q.search = search;
          if (scope !== undefined) q.scope = scope;
          if (provider !== undefined) q.provider = provider;
          if (scopeId !== undefined) q.scope_id = scopeId;
          out.push(q);
        }
  return out;
}

describe('GET /api/governance/model-configs on both read models', () => {
  const topics = suiteTopics('api-read');
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;

  const list = (query: Record<string, string>, fromMemory: boolean) =>
    api
      .http()
      .get(LIST)
      .query({ ...query, from_memory: String(fromMemory) })
      .set(AUTH);

  /** Both paths, asserting they agree; returns the (shared) body. */
  async function listBoth(query: Record<string, string>): Promise<ListBody> {
    const [pg, redis] = await Promise.all([list(query, false), list(query, true)]);
    expect([pg.status, redis.status]).toEqual([200, 200]);
    expect(redis.body).toEqual(pg.body);
    return pg.body as ListBody;
  }

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ api } = stack);
    await kafka.sendEvents(
      topics.config,
      seeded.map((c) => configUpserted(c)),
    );
    await waitFor('seeded configs in both read models', async () => {
      const [pg, redis] = await Promise.all([list({}, false), list({}, true)]);
      return (
        (pg.body as ListBody).total_count === seeded.length &&
        (redis.body as ListBody).total_count === seeded.length
      );
    });
  });

  afterAll(() => stack?.close());

  it('lists every config newest first, ties by id descending, with the page fields', async () => {
    const body = await listBoth({});
    expect(body.model_configs.map((c) => c.id)).toEqual(expectedIds({}));
    expect(body).toMatchObject({ count: 8, total_count: 8, limit: 25, offset: 0 });
  });

  it('gives identical, documented results for every filter combination on both paths', async () => {
    for (const q of combinations()) {
      const body = await listBoth(q);
      const expected = expectedIds(q);
      expect({ q, ids: body.model_configs.map((c) => c.id) }).toEqual({ q, ids: expected });
      expect(body.total_count).toBe(expected.length);
    }
  });

  it('pages through the same order with limit and offset', async () => {
    const all = expectedIds({});
    const pages: string[] = [];
    for (let offset = 0; offset < all.length; offset += 3) {
      const body = await listBoth({ limit: '3', offset: String(offset) });
      expect(body).toMatchObject({ limit: 3, offset, total_count: all.length });
      pages.push(...body.model_configs.map((c) => c.id));
    }
    expect(pages).toEqual(all);
    const filtered = await listBoth({ search: 'gpt', provider: 'openai', limit: '1', offset: '1' });
    expect(filtered.model_configs.map((c) => c.id)).toEqual(
      expectedIds({ search: 'gpt', provider: 'openai' }).slice(1, 2),
    );
  });

  it('answers an offset past the end with an empty page and the true total_count', async () => {
    for (const offset of ['8', '9', '1000000']) {
      const body = await listBoth({ offset });
      expect(body).toMatchObject({
        model_configs: [],
        count: 0,
        total_count: 8,
        offset: Number(offset),
      });
    }
  });

  it('serves a limit above 100 as 100, and treats empty values as absent', async () => {
    expect(await listBoth({ limit: '500' })).toMatchObject({ limit: 100, count: 8 });
    expect(await listBoth({ limit: '100' })).toMatchObject({ limit: 100 });
    expect(await listBoth({ limit: '', offset: '', search: '' })).toMatchObject({
      limit: 25,
      total_count: 8,
    });
  });

  it.each([
    [{ limit: 'abc' }, 'Invalid limit parameter: must be a number'],
    [{ limit: '0' }, 'Invalid limit parameter: must be at least 1'],
    [{ limit: '-5' }, 'Invalid limit parameter: must be at least 1'],
    [{ offset: 'x' }, 'Invalid offset parameter: must be a number'],
    [{ offset: '-1' }, 'Invalid offset parameter: must be non-negative'],
    [{ scope: 'team' }, 'Invalid scope parameter: must be one of global, virtual_key, user'],
  ])('rejects %j with 400 "%s" on both paths', async (query, message) => {
    for (const fromMemory of [false, true]) {
      const res = await list(query, fromMemory);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(bifrostError(400, message));
    }
  });

  it('rejects a from_memory that is not true or false', async () => {
    for (const value of ['TRUE', '1', 'yes']) {
      const res = await api.http().get(LIST).query({ from_memory: value }).set(AUTH);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Invalid from_memory parameter: must be true or false');
    }
  });

  it('ignores unknown parameters', async () => {
    expect((await listBoth({ colour: 'blue' })).total_count).toBe(8);
  });

  it('reports the data source and the read model freshness in headers', async () => {
    const [pg, redis] = await Promise.all([list({}, false), list({}, true)]);
    expect(pg.headers['x-data-source']).toBe('postgres');
    expect(redis.headers['x-data-source']).toBe('redis');
    for (const res of [pg, redis]) {
      expect(new Date(res.headers['x-read-model-as-of']).getTime()).not.toBeNaN();
      expect(Number(res.headers['x-read-model-lag-ms'])).toBeGreaterThanOrEqual(0);
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('shows usage from Kafka events identically on both paths', async () => {
    const usage = aUsage({ model: 'usage-model', cost: usd('1.25'), totalTokens: 40 });
    await kafka.sendEvents(topics.usage, [
      usageRecorded(usage),
      usageRecorded({ ...usage, requestId: 'r2' }),
    ]);
    const shown = await waitFor('usage on both paths', async () => {
      const [pg, redis] = await Promise.all([
        api.http().get(`${LIST}/mc-08`).set(AUTH),
        api.http().get(`${LIST}/mc-08`).query({ from_memory: 'true' }).set(AUTH),
      ]);
      const usageOf = (b: { model_config: ListBody['model_configs'][number] }) =>
        b.model_config.budgets[0].current_usage;
      const [a, b] = [
        pg.body as Parameters<typeof usageOf>[0],
        redis.body as Parameters<typeof usageOf>[0],
      ];
      return usageOf(a) === 2.5 && usageOf(b) === 2.5 && [a, b];
    });
    expect(shown[1]).toEqual(shown[0]);
    expect(shown[0].model_config.rate_limit).toMatchObject({
      token_current_usage: 80,
      request_current_usage: 2,
    });
    const listed = await listBoth({ search: 'usage-model' });
    expect(listed.model_configs[0]).toEqual(shown[0].model_config);
  });

  it('gets one config from either path and 404s an unknown id', async () => {
    const [pg, redis] = await Promise.all([
      api.http().get(`${LIST}/mc-03`).set(AUTH),
      api.http().get(`${LIST}/mc-03`).query({ from_memory: 'true' }).set(AUTH),
    ]);
    expect(pg.status).toBe(200);
    expect(redis.body).toEqual(pg.body);
    expect(pg.body.model_config).toMatchObject({
      id: 'mc-03',
      model_name: 'GPT_4%\\x',
      scope: 'virtual_key',
      scope_id: 'vk-1',
    });
    for (const fromMemory of ['false', 'true']) {
      const res = await api.http().get(`${LIST}/nope`).query({ from_memory: fromMemory }).set(AUTH);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(bifrostError(404, 'Model config not found'));
    }
  });

  describe('authentication', () => {
    it('accepts every configured key (rotation)', async () => {
      for (const key of ['test-key-old', API_KEY]) {
        const res = await api.http().get(LIST).set('Authorization', `Bearer ${key}`);
        expect(res.status).toBe(200);
      }
    });

    it.each([
      ['no credentials', {}, /^Unauthorized$/],
      ['a wrong key', { Authorization: 'Bearer wrong' }, /^Unauthorized$/],
      ['x-api-key', { 'x-api-key': API_KEY }, /Authorization: Bearer <API key>/],
      [
        'Basic credentials',
        { Authorization: `Basic ${Buffer.from(`admin:${API_KEY}`).toString('base64')}` },
        /Authorization: Bearer <API key>/,
      ],
    ])('refuses %s with 401 on every /api route', async (_, headers, message) => {
      const requests = [
        api.http().get(LIST),
        api.http().get(`${LIST}/mc-01`),
        api.http().post(LIST).send({ model_name: 'x' }),
        api.http().put(`${LIST}/mc-01`).send({}),
        api.http().delete(`${LIST}/mc-01`),
      ];
      for (const req of requests) {
        const res = await req.set(headers);
        expect(res.status).toBe(401);
        expect(res.body.status_code).toBe(401);
        expect(res.body.error.message).toMatch(message);
      }
    });

    it('leaves health, metrics and docs open', async () => {
      expect((await api.http().get('/health')).status).toBe(200);
      expect((await api.http().get('/metrics')).text).toContain(
        'usage_ledger_http_request_duration_seconds',
      );
      expect((await api.http().get('/openapi.json')).status).toBe(200);
      expect((await api.http().get('/docs')).status).toBeLessThan(400);
    });
  });
});
