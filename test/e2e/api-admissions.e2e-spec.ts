import { AdmissionLedger } from '@app/ledger';
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AdmissionClient } from '../support/admission-client';
import { resetReadModels, RunningApi, startApi } from '../support/api-harness';
import { openTestDatabase } from '../support/database-test-client';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { TEST_ENV } from '../support/test-env';
import { startProjector } from '../support/projector-harness';
import { waitFor } from '../support/wait-for';

const RACERS = 500;
const ROOM = 50;

/**
 * Admission through the real stack: two API replicas (each with its own Redis connection and
 * config cache), the projector applying usage from Kafka, configs of all three scopes.
 */
describe('gateway admission', () => {
  const topics = suiteTopics('api-admissions');
  const kafka = new KafkaTestClient();
  const model = `adm-${randomUUID().slice(0, 8)}`;
  let db: DataSource;
  let projector: INestApplicationContext;
  let apis: RunningApi[];
  let clients: AdmissionClient[];

  const admission = (overrides: Record<string, unknown> = {}) => ({
    request_id: `req-${randomUUID()}`,
    provider: 'openai',
    model,
    ...overrides,
  });
  const admit = (body: Record<string, unknown>, replica = 0) => clients[replica].admit(body);

  // Every request is checked against the catch-all global config too (a second scope).
  const catchAll = aConfig({
    modelName: '*',
    provider: null,
    budgets: [{ id: 'b-all', maxLimit: usd('1000000'), resetDuration: '1d' }],
    rateLimit: null,
  });
  // Rolling windows anchored a minute ago: no window boundary falls inside the race.
  const createdAt = new Date(Date.now() - 60_000);
  const globalBudget = aConfig({
    createdAt,
    modelName: `${model}-budget`,
    provider: null,
    budgets: [{ id: 'b-race', maxLimit: usd('5'), resetDuration: '1h' }], // 50 × $0.10
    rateLimit: null,
  });
  const userTokens = aConfig({
    createdAt,
    modelName: `${model}-tokens`,
    scope: 'user',
    scopeId: 'alice',
    budgets: [],
    rateLimit: {
      id: 'rl-tokens',
      tokenMaxLimit: ROOM * 100,
      tokenResetDuration: '1h',
      requestMaxLimit: null,
      requestResetDuration: null,
    },
  });
  const vkRequests = aConfig({
    createdAt,
    modelName: `${model}-requests`,
    scope: 'virtual_key',
    scopeId: 'vk-race',
    budgets: [],
    rateLimit: {
      id: 'rl-requests',
      tokenMaxLimit: null,
      tokenResetDuration: null,
      requestMaxLimit: ROOM,
      requestResetDuration: '1h',
    },
  });
  // Settle, release, expiry, repeat and rollover: $1 a day, calendar aligned.
  const daily = aConfig({
    modelName: `${model}-daily`,
    provider: 'openai',
    calendarAligned: true,
    budgets: [{ id: 'b-daily', maxLimit: usd('1'), resetDuration: '1d' }],
    rateLimit: null,
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetReadModels(db);
    await kafka.createTopics(topics);
    [projector, ...apis] = await Promise.all([
      startProjector(topicEnv(topics)),
      startApi(topicEnv(topics)),
      startApi(topicEnv(topics)),
    ]);
    clients = await Promise.all(apis.map((api) => AdmissionClient.on(api)));
    const configs = [catchAll, globalBudget, userTokens, vkRequests, daily];
    await kafka.sendEvents(
      topics.config,
      configs.map((c) => configUpserted(c)),
    );
    await waitFor('the configs in Redis', async () => {
      const res = await admit(admission({ model: `${model}-daily`, estimated_cost: 0 }));
      return (res.body.limits as unknown[] | undefined)?.length === 2;
    });
  });

  afterAll(async () => {
    clients?.forEach((c) => c.close());
    await Promise.all((apis ?? []).map((api) => api.close()));
    await projector?.close();
    await kafka.close();
    await db?.destroy();
  });

  it(`admits exactly ${ROOM} of ${RACERS} racers on a budget, a token and a request limit at once`, async () => {
    const races = {
      budget: () => admission({ model: `${model}-budget`, estimated_cost: '0.10' }),
      tokens: () =>
        admission({ model: `${model}-tokens`, user_id: 'alice', estimated_tokens: 100 }),
      requests: () => admission({ model: `${model}-requests`, virtual_key_id: 'vk-race' }),
    };
    const entries = Object.entries(races).flatMap(([race, body]) =>
      Array.from({ length: RACERS }, (_, i) => [race, body(), i % 2] as const),
    );
    const answers = await Promise.all(
      entries.map(async ([race, body, replica]) => [race, await admit(body, replica)] as const),
    );
    const admitted = (race: string) =>
      answers.filter(([r, res]) => r === race && res.body.allowed === true).length;
    expect(answers.every(([, res]) => res.status === 200)).toBe(true);
    expect({
      budget: admitted('budget'),
      tokens: admitted('tokens'),
      requests: admitted('requests'),
    }).toEqual({ budget: ROOM, tokens: ROOM, requests: ROOM });

    const refused = answers.find(([r, res]) => r === 'tokens' && res.body.allowed === false)?.[1];
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused?.body).toMatchObject({
      allowed: false,
      blocked_by: [
        {
          model_config_id: userTokens.id,
          kind: 'tokens',
          id: 'rl-tokens',
          max_limit: ROOM * 100,
          current_usage: 0,
          reserved: ROOM * 100,
        },
      ],
    });
  });

  it('settles a hold when the usage event with its request_id is applied, once', async () => {
    const body = admission({ model: `${model}-daily`, estimated_cost: '0.30' });
    expect((await admit(body)).body).toMatchObject({ allowed: true });
    const usage = aUsage({ requestId: body.request_id, model: `${model}-daily`, cost: usd('0.2') });
    const eventId = randomUUID();
    // A usage event with no admission at all is charged and settles nothing.
    const stray = aUsage({ model: `${model}-daily`, cost: usd('0.05') });
    await kafka.sendEvents(topics.usage, [usageRecorded(usage, eventId), usageRecorded(stray)]);
    const probe = () => admit(admission({ model: `${model}-daily` }));
    const settled = await waitFor('the hold settled by the usage', async () => {
      const res = await probe();
      const daily = (res.body.limits as { id: string; current_usage: number }[]).find(
        (l) => l.id === 'b-daily',
      );
      return daily?.current_usage === 0.25 ? daily : undefined;
    });
    expect(settled).toMatchObject({ reserved: 0, remaining: 0.75 });
    // Redelivered: counted once, and its settlement is a no-op.
    await kafka.sendEvents(topics.usage, [usageRecorded(usage, eventId)]);
    const marker = aUsage({ model: `${model}-daily`, cost: usd('0.01') });
    await kafka.sendEvents(topics.usage, [usageRecorded(marker)]);
    await waitFor('the marker after the duplicate', async () => {
      const res = await probe();
      const daily = (res.body.limits as { id: string; current_usage: number }[]).find(
        (l) => l.id === 'b-daily',
      );
      return daily?.current_usage === 0.26;
    });
  });

  it('admits a request whose usage was applied before it asked, and counts that usage once', async () => {
    const early = aUsage({ model: `${model}-daily`, cost: usd('0.02') });
    await kafka.sendEvents(topics.usage, [usageRecorded(early)]);
    await waitFor('the early usage counted', async () => {
      const res = await admit(admission({ model: `${model}-daily` }));
      const daily = (res.body.limits as { id: string; current_usage: number }[]).find(
        (l) => l.id === 'b-daily',
      );
      return daily?.current_usage === 0.28;
    });
    const body = admission({
      request_id: early.requestId,
      model: `${model}-daily`,
      estimated_cost: '0.1',
    });
    const answer = await admit(body);
    expect(answer.body).toMatchObject({
      allowed: true,
      reservation_id: early.requestId,
      limits: [{ id: 'b-daily', current_usage: 0.28, reserved: 0.1 }, { id: 'b-all' }],
    });
    // Nothing settles it now (its usage came first): the hold lasts until released or expired.
    expect((await clients[0].release(body.request_id)).body.released).toBe(true);
  });

  it('returns the first answer to a repeat, holding once, on either replica', async () => {
    const body = admission({ model: `${model}-daily`, estimated_cost: '0.5', hold_for: '5m' });
    const first = await admit(body, 0);
    const again = await admit(body, 1);
    expect(first.body).toMatchObject({ allowed: true, reservation_id: body.request_id });
    expect(again.body).toEqual(first.body);
    const probe = await admit(admission({ model: `${model}-daily`, estimated_cost: '0.5' }));
    // $0.28 committed + $0.50 held: another $0.50 does not fit; a single hold does.
    expect(probe.body).toMatchObject({
      allowed: false,
      blocked_by: [{ id: 'b-daily', current_usage: 0.28, reserved: 0.5 }],
    });
    expect((await clients[1].release(body.request_id)).body).toEqual({
      request_id: body.request_id,
      released: true,
    });
  });

  it('frees the room when a hold is released by DELETE, idempotently', async () => {
    const held = admission({ model: `${model}-daily`, estimated_cost: '0.7' });
    expect((await admit(held)).body.allowed).toBe(true);
    const next = () => admit(admission({ model: `${model}-daily`, estimated_cost: '0.7' }));
    expect((await next()).body.allowed).toBe(false);
    const released = await clients[0].release(held.request_id);
    expect(released.status).toBe(200);
    expect(released.body).toEqual({ request_id: held.request_id, released: true });
    expect((await clients[1].release(held.request_id)).body.released).toBe(false);
    const admitted = await next();
    expect(admitted.body.allowed).toBe(true);
    await clients[0].release(admitted.body.request_id as string);
  });

  it('lets a hold lapse at expires_at', async () => {
    const held = admission({ model: `${model}-daily`, estimated_cost: '0.7', hold_for: '300ms' });
    const answer = await admit(held);
    expect(answer.body.allowed).toBe(true);
    const expiresAt = Date.parse(answer.body.expires_at as string);
    const body = admission({ model: `${model}-daily`, estimated_cost: '0.7' });
    const blocked = await admit(body);
    if (Date.now() < expiresAt) expect(blocked.body.allowed).toBe(false);
    const allowed = await waitFor('the hold to lapse', async () => {
      const res = await admit(admission({ model: `${model}-daily`, estimated_cost: '0.7' }));
      return res.body.allowed === true ? res : undefined;
    });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    await clients[0].release(allowed.body.request_id as string);
  });

  it('blocks at 23:59:59 and allows once the daily window has reset', async () => {
    const ledger = apis[0].app.get(AdmissionLedger);
    const today = new Date();
    const at = (h: number, m: number, s: number, dayOffset = 0) =>
      new Date(
        Date.UTC(
          today.getUTCFullYear(),
          today.getUTCMonth(),
          today.getUTCDate() + dayOffset,
          h,
          m,
          s,
        ),
      );
    const request = (id: string) => ({
      requestId: id,
      provider: 'openai',
      model: `${model}-daily`,
      virtualKeyId: null,
      userId: null,
      estimatedCost: usd('0.9'),
      estimatedTokens: 0,
      holdMs: 60_000,
    });
    // Today's window holds the $0.28 committed above: $0.90 more does not fit.
    const late = await ledger.admit(request(`late-${randomUUID()}`), at(23, 59, 59));
    expect(late.allowed).toBe(false);
    expect(new Date(late.limits.find((l) => l.exceeded)!.resetsAtMs)).toEqual(at(0, 0, 0, 1));
    const fresh = await ledger.admit(request(`fresh-${randomUUID()}`), at(0, 0, 0, 1));
    expect(fresh.allowed).toBe(true);
    expect(fresh.limits.find((l) => l.limitId === 'b-daily')).toMatchObject({
      committed: 0n,
      reserved: 0n,
    });
  });

  it("gives each pool its window's end (and a minute's grace) as TTL, kept by later admissions", async () => {
    const redis = new Redis(TEST_ENV.REDIS_URL);
    try {
      const poolExpiries = async (requestId: string) => {
        const holdKeys: string[] = [];
        let cursor = '0';
        do {
          const [next, found] = await redis.scan(cursor, 'MATCH', '*adm:holds', 'COUNT', 1_000);
          holdKeys.push(...found);
          cursor = next;
        } while (cursor !== '0');
        const held = await Promise.all(holdKeys.map((k) => redis.hget(k, requestId)));
        const parts = JSON.parse(held.find((h) => h !== null)!) as string[];
        const pools = parts.filter((_, i) => i % 2 === 0);
        const ttls = await Promise.all(pools.map((pool) => redis.pttl(pool)));
        return ttls.map((ttl) => Date.now() + ttl);
      };
      const ask = () => admit(admission({ model: `${model}-daily`, estimated_cost: '0.01' }));
      const first = await ask();
      expect(first.body.allowed).toBe(true);
      const windowEnds = (first.body.limits as { resets_at: string }[]).map((l) =>
        Date.parse(l.resets_at),
      );
      const expiries = await poolExpiries(first.body.request_id as string);
      expect(expiries).toHaveLength(2); // the daily budget and the catch-all one
      for (const expiry of expiries) {
        const nearest = Math.min(...windowEnds.map((end) => Math.abs(end + 60_000 - expiry)));
        expect(nearest).toBeLessThan(5_000);
      }
      const second = await ask();
      expect(second.body.allowed).toBe(true);
      const later = await poolExpiries(second.body.request_id as string);
      later.forEach((expiry, i) => expect(Math.abs(expiry - expiries[i])).toBeLessThan(5_000));
      await Promise.all(
        [first, second].map((a) => clients[0].release(a.body.request_id as string)),
      );
    } finally {
      redis.disconnect();
    }
  });
});
