import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import {
  ApiStack,
  AUTH,
  bifrostError,
  openApiStack,
  RunningApi,
  startApi,
} from '../support/api-harness';

import { aUsage, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';

import { waitFor } from '../support/wait-for';

const LIST = '/api/governance/model-configs';

interface View {
  id: string;
  model_name: string;
  created_at: string;
  budgets: { id: string; config_hash: string; current_usage: number }[];
  budget: unknown;
  rate_limit: { id: string } | null;
}
interface ListBody {
  model_configs: View[];
}
const configOf = (res: { body: unknown }): View =>
  (res.body as { model_config: View }).model_config;

/** A create body with a model name of its own, so usage and identities never collide. */
const aCreateBody = (overrides: Record<string, unknown> = {}) => ({
  model_name: `model-${randomUUID().slice(0, 8)}`,
  provider: 'openai',
  budgets: [{ max_limit: 100, reset_duration: '1d' }],
  rate_limit: { token_max_limit: 1000, token_reset_duration: '1h' },
  ...overrides,
});

describe('model-config management commands', () => {
  const topics = suiteTopics('api-cmd');
  const kafka = new KafkaTestClient();
  let db: DataSource;
  let stack: ApiStack | undefined;
  let api: RunningApi;

  const create = (body: unknown) =>
    api
      .http()
      .post(LIST)
      .set(AUTH)
      .send(body as object);
  const getBoth = (id: string) =>
    Promise.all([
      api.http().get(`${LIST}/${id}`).set(AUTH),
      api.http().get(`${LIST}/${id}`).query({ from_memory: 'true' }).set(AUTH),
    ]);
  const listIdsBoth = async () => {
    const [pg, redis] = await Promise.all([
      api.http().get(LIST).query({ limit: '100' }).set(AUTH),
      api.http().get(LIST).query({ limit: '100', from_memory: 'true' }).set(AUTH),
    ]);
    const ids = (b: ListBody) => b.model_configs.map((c) => c.id);
    return [ids(pg.body as ListBody), ids(redis.body as ListBody)];
  };

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ db, api } = stack);
  });

  afterAll(() => stack?.close());

  describe('POST', () => {
    it('creates a config and both read models show it on the next request', async () => {
      const body = aCreateBody({ scope: 'virtual_key', scope_id: 'vk-9', scope_name: 'team 9' });
      const res = await create(body);
      expect(res.status).toBe(200);
      expect(res.body.message).toBe('Model config created successfully');
      const created = configOf(res);
      expect(created).toMatchObject({
        model_name: body.model_name,
        provider: 'openai',
        scope: 'virtual_key',
        scope_id: 'vk-9',
        scope_name: 'team 9',
        calendar_aligned: false,
        budgets: [{ max_limit: 100, reset_duration: '1d', current_usage: 0 }],
        rate_limit: { token_max_limit: 1000, token_reset_duration: '1h' },
      });
      // Bifrost's omitempty: a dimension without a limit has no limit fields, but a timestamp.
      expect(created.rate_limit).not.toHaveProperty('request_max_limit');
      expect(created.rate_limit).not.toHaveProperty('request_reset_duration');
      expect(created.rate_limit).toHaveProperty('request_last_reset', expect.any(String));
      for (const field of ['team_id', 'virtual_key_id', 'provider_config_id']) {
        expect(created.budgets[0]).not.toHaveProperty(field);
      }
      expect(created.budget).toEqual(created.budgets[0]);
      const [pg, redis] = await getBoth(created.id);
      expect([pg.status, redis.status]).toEqual([200, 200]);
      expect(pg.body.model_config).toEqual(created);
      expect(redis.body).toEqual(pg.body);
      const [pgIds, redisIds] = await listIdsBoth();
      expect(pgIds).toContain(created.id);
      expect(redisIds).toEqual(pgIds);
    });

    it('defaults to a global config for every provider and drops a global scope_id', async () => {
      const res = await create({ model_name: `m-${randomUUID()}`, scope_id: 'ignored' });
      expect(res.status).toBe(200);
      expect(res.body.model_config).toMatchObject({ scope: 'global', budgets: [] });
      // Left out, not null, on the command answer and on both read models.
      const [pg, redis] = await getBoth(configOf(res).id);
      for (const view of [res.body.model_config, pg.body.model_config, redis.body.model_config]) {
        for (const field of ['provider', 'scope_id', 'scope_name', 'budget', 'rate_limit']) {
          expect(view).not.toHaveProperty(field);
        }
      }
    });

    it.each([
      [{ provider: 'openai' }, 'Model name is required'],
      [{ model_name: '' }, 'Model name is required'],
      [{ model_name: 'm', scope: 'team' }, 'Invalid scope "team"'],
      [{ model_name: 'm', scope: 'user' }, 'scope_id is required when scope is not global'],
      [{ model_name: 'm', provider: '' }, 'provider cannot be an empty string'],
      [
        { model_name: 'm', budgets: [{ max_limit: 0, reset_duration: '1d' }] },
        'Budget max_limit must be greater than zero',
      ],
      [
        { model_name: 'm', budgets: [{ max_limit: -1, reset_duration: '1d' }] },
        'Budget max_limit cannot be negative: -1.00',
      ],
      [
        { model_name: 'm', budgets: [{ max_limit: 1, reset_duration: 'soon' }] },
        'Invalid reset duration (must be a positive duration): soon',
      ],
      [
        {
          model_name: 'm',
          budgets: [
            { max_limit: 1, reset_duration: '1h' },
            { max_limit: 2, reset_duration: '1h' },
          ],
        },
        'Duplicate reset_duration in budgets: 1h',
      ],
      [
        { model_name: 'm', rate_limit: { token_max_limit: 10 } },
        'token_reset_duration is required when token_max_limit is set',
      ],
      [
        { model_name: 'm', rate_limit: { request_max_limit: -3, request_reset_duration: '1m' } },
        'rate limit request_max_limit must be a positive integer',
      ],
      [{ model_name: 42 }, 'Invalid model_name: must be a string or null'],
      [[1, 2], 'Invalid JSON: the body must be a JSON object'],
    ])('rejects %j with 400 "%s"', async (body, message) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(bifrostError(400, message));
    });

    it('rejects a body that is not JSON with 400 "Invalid JSON"', async () => {
      const res = await api
        .http()
        .post(LIST)
        .set(AUTH)
        .set('Content-Type', 'application/json')
        .send('{"model_name":');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Invalid JSON');
    });

    it('answers 409 when the identity is taken', async () => {
      const body = aCreateBody({ scope: 'user', scope_id: 'u-7' });
      expect((await create(body)).status).toBe(200);
      const again = await create({ ...body, budgets: [] });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        `Model config for model '${body.model_name}' with provider 'openai' (user 'u-7') already exists`,
      );
    });

    it('lets exactly one of concurrent identical creates win; the others get 409', async () => {
      const body = aCreateBody();
      const results = await Promise.all(Array.from({ length: 5 }, () => create(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409]);
      const [pgIds] = await listIdsBoth();
      const winner = configOf(results.find((r) => r.status === 200)!).id;
      expect(pgIds).toContain(winner);
      const rows: unknown[] = await db.query('SELECT 1 FROM model_configs WHERE model_name = $1', [
        body.model_name,
      ]);
      expect(rows).toHaveLength(1);
    });
  });

  describe('PUT', () => {
    it('updates, keeping budget ids, created_at and usage; both paths show it at once', async () => {
      const body = aCreateBody({
        budgets: [
          { max_limit: 100, reset_duration: '1d' },
          { max_limit: 5, reset_duration: '1h' },
        ],
      });
      const created = configOf(await create(body));
      await kafka.sendEvents(topics.usage, [
        usageRecorded(aUsage({ model: body.model_name, cost: usd('0.75'), totalTokens: 30 })),
      ]);
      await waitFor('usage in both read models', async () => {
        const [pg, redis] = await getBoth(created.id);
        return (
          configOf(pg).budgets[0].current_usage === 0.75 &&
          configOf(redis).budgets[0].current_usage === 0.75
        );
      });

      const res = await api
        .http()
        .put(`${LIST}/${created.id}`)
        .set(AUTH)
        .send({
          budgets: [
            { max_limit: 250, reset_duration: '1d' },
            { id: created.budgets[1].id, max_limit: 7, reset_duration: '1h' },
            { max_limit: 1000, reset_duration: '1w' },
          ],
          rate_limit: { token_max_limit: 2000, token_reset_duration: '1h' },
        });
      expect(res.status).toBe(200);
      expect(res.body.message).toBe('Model config updated successfully');
      const updated = configOf(res);
      expect(updated.created_at).toBe(created.created_at);
      expect(updated.budgets.map((b) => b.id).slice(0, 2)).toEqual(
        created.budgets.map((b) => b.id),
      );
      expect(updated.budgets[0]).toMatchObject({ max_limit: 250, current_usage: 0.75 });
      expect(updated.budgets[1]).toMatchObject({ max_limit: 7, current_usage: 0.75 });
      expect(updated.budgets[2]).toMatchObject({
        max_limit: 1000,
        reset_duration: '1w',
        current_usage: 0,
      });
      expect(updated.rate_limit).toMatchObject({
        id: created.rate_limit?.id,
        token_max_limit: 2000,
        token_current_usage: 30,
      });
      expect(updated.budgets[0].config_hash).not.toBe(created.budgets[0].config_hash);

      const [pg, redis] = await getBoth(created.id);
      expect(pg.body.model_config).toEqual(updated);
      expect(redis.body).toEqual(pg.body);
    });

    it('refuses to change scope or scope_id (400), an unknown id (404) and a taken identity (409)', async () => {
      const a = configOf(await create(aCreateBody({ scope: 'virtual_key', scope_id: 'vk-1' })));
      const b = configOf(await create(aCreateBody({ scope: 'virtual_key', scope_id: 'vk-1' })));
      const put = (id: string, body: object) =>
        api.http().put(`${LIST}/${id}`).set(AUTH).send(body);

      const scope = await put(a.id, { scope: 'global' });
      expect([scope.status, scope.body.error.message]).toEqual([
        400,
        'scope cannot be changed on update',
      ]);
      const scopeId = await put(a.id, { scope_id: 'vk-2' });
      expect([scopeId.status, scopeId.body.error.message]).toEqual([
        400,
        'scope_id cannot be changed on update',
      ]);
      const invalid = await put(a.id, { budgets: [{ max_limit: 0, reset_duration: '1d' }] });
      expect(invalid.status).toBe(400);

      const missing = await put('no-such-config', { model_name: 'x' });
      expect([missing.status, missing.body.error.message]).toEqual([404, 'Model config not found']);

      const clash = await put(b.id, { model_name: a.model_name });
      expect(clash.status).toBe(409);
      expect(clash.body.error.message).toBe(
        `Model config for model '${a.model_name}' with provider 'openai' (virtual_key 'vk-1') already exists`,
      );
    });
  });

  describe('DELETE', () => {
    it('deletes; both read models stop showing it at once', async () => {
      const created = configOf(await create(aCreateBody()));
      const res = await api.http().delete(`${LIST}/${created.id}`).set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Model config deleted successfully' });
      const [pg, redis] = await getBoth(created.id);
      expect([pg.status, redis.status]).toEqual([404, 404]);
      const [pgIds, redisIds] = await listIdsBoth();
      expect(pgIds).not.toContain(created.id);
      expect(redisIds).toEqual(pgIds);

      const twice = await api.http().delete(`${LIST}/${created.id}`).set(AUTH);
      expect([twice.status, twice.body.error.message]).toEqual([404, 'Model config not found']);
    });

    it('frees the identity for a new config', async () => {
      const body = aCreateBody();
      const first = configOf(await create(body));
      expect((await api.http().delete(`${LIST}/${first.id}`).set(AUTH)).status).toBe(200);
      expect((await create(body)).status).toBe(200);
    });
  });

  it('answers 503 when the read model does not apply the change in time', async () => {
    // A config topic no projector reads: the event is recorded but never applied.
    const orphan = suiteTopics('api-cmd-orphan');
    await kafka.createTopics(orphan);
    const stalled = await startApi({ ...topicEnv(orphan), READ_YOUR_WRITES_TIMEOUT: '300ms' });
    try {
      const started = Date.now();
      const res = await stalled.http().post(LIST).set(AUTH).send(aCreateBody());
      expect(res.status).toBe(503);
      expect(res.body.status_code).toBe(503);
      expect(res.body.error.message).toMatch(
        /^Timed out waiting for the read model to apply the change/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await stalled.close();
    }
  });
});
