import {
  aConfig,
  aUsage,
  configDeleted,
  configUpserted,
  usageRecorded,
  usd,
} from '../support/event-builders';
import { WriteSideSuite } from '../support/write-side-suite';
import { waitFor } from '../support/wait-for';

describe('charging rules through Kafka', () => {
  const suite = new WriteSideSuite('charging', 1);
  beforeAll(() => suite.setUp());
  afterAll(() => suite.tearDown());

  let applied = 0;
  async function publish(topic: 'config' | 'usage', envelopes: { id: string }[]): Promise<void> {
    await suite.kafka.sendEvents(
      topic === 'config' ? suite.topics.config : suite.topics.usage,
      envelopes as never,
    );
    applied += envelopes.length;
    await suite.eventsApplied(applied);
  }

  it('charges global, user-over-virtual-key scopes and every matching tier once', async () => {
    const model = `m-${Date.now()}`;
    const exact = aConfig({ modelName: model, provider: 'openai' });
    const allProviders = aConfig({ modelName: model, provider: null });
    const allModels = aConfig({
      modelName: '*',
      provider: 'openai',
      budgets: [{ id: 'b-day', maxLimit: usd('1'), resetDuration: '1d' }],
    });
    const vk = aConfig({ modelName: '*', provider: null, scope: 'virtual_key', scopeId: 'vk-1' });
    const user = aConfig({ modelName: model, provider: null, scope: 'user', scopeId: 'u-1' });
    await publish(
      'config',
      [exact, allProviders, allModels, vk, user].map((c) => configUpserted(c)),
    );

    await publish('usage', [
      usageRecorded(aUsage({ model, virtualKeyId: 'vk-1', cost: usd('1') })),
      usageRecorded(aUsage({ model, virtualKeyId: 'vk-1', userId: 'u-1', cost: usd('2') })),
    ]);

    expect(await suite.usageInPostgres(exact.id, 'b-day', 'cost')).toBe(usd('3'));
    expect(await suite.usageInPostgres(allProviders.id, 'b-day', 'cost')).toBe(usd('3'));
    expect(await suite.usageInPostgres(allModels.id, 'b-day', 'cost')).toBe(usd('3'));
    expect(await suite.usageInPostgres(vk.id, 'b-day', 'cost')).toBe(usd('1'));
    expect(await suite.usageInPostgres(user.id, 'b-day', 'cost')).toBe(usd('2'));
    await publish(
      'config',
      [exact, allProviders, allModels, vk, user].map((c) => configDeleted(c.id)),
    );
  });

  it('bills failed calls with usage but never their request, and ignores empty failures', async () => {
    const config = aConfig({ modelName: `f-${Date.now()}` });
    await publish('config', [configUpserted(config)]);
    const base = { model: config.modelName, success: false };
    await publish('usage', [
      usageRecorded(aUsage({ ...base, totalTokens: 0, inputTokens: 0, outputTokens: 0, cost: 0n })),
      usageRecorded(
        aUsage({ ...base, totalTokens: 100, inputTokens: 100, outputTokens: 0, cost: usd('25.5') }),
      ),
    ]);
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('25.5'));
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(100n);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(0n);
  });

  it('counts streamed usage per chunk and the request once, on the final chunk', async () => {
    const config = aConfig({ modelName: `s-${Date.now()}` });
    await publish('config', [configUpserted(config)]);
    const base = { model: config.modelName, streaming: true, inputTokens: 0, outputTokens: 0 };
    await publish('usage', [
      usageRecorded(aUsage({ ...base, finalChunk: false, totalTokens: 50, cost: 0n })),
      usageRecorded(aUsage({ ...base, finalChunk: true, totalTokens: 0, cost: usd('12.5') })),
    ]);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(50n);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(1n);
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('12.5'));
  });

  it('counts a late event in its own closed window, not in the current one', async () => {
    const created = new Date(Date.now() - 10 * 3_600_000);
    const config = aConfig({
      modelName: `l-${Date.now()}`,
      createdAt: created,
      updatedAt: created,
      budgets: [{ id: 'b-hour', maxLimit: usd('5'), resetDuration: '1h' }],
    });
    await publish('config', [configUpserted(config)]);
    const lateTime = new Date(Date.now() - 2 * 3_600_000);
    await publish('usage', [
      usageRecorded(aUsage({ model: config.modelName, cost: usd('4'), time: lateTime })),
      usageRecorded(aUsage({ model: config.modelName, cost: usd('0.5') })),
    ]);
    expect(await suite.usageInPostgres(config.id, 'b-hour', 'cost', lateTime)).toBe(usd('4'));
    expect(await suite.usageInPostgres(config.id, 'b-hour', 'cost')).toBe(usd('0.5'));
  });

  it('counts a calendar-aligned monthly budget in the UTC month and a rolling one on its lattice', async () => {
    const created = new Date(Date.now() - 45 * 86_400_000);
    const config = aConfig({
      modelName: `c-${Date.now()}`,
      calendarAligned: true,
      createdAt: created,
      updatedAt: created,
      budgets: [
        { id: 'b-month', maxLimit: usd('100'), resetDuration: '1M' },
        { id: 'b-6h', maxLimit: usd('10'), resetDuration: '6h' },
      ],
    });
    await publish('config', [configUpserted(config)]);
    await publish('usage', [usageRecorded(aUsage({ model: config.modelName, cost: usd('7') }))]);

    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const month = await suite.limit(config.id, 'b-month', 'cost');
    const rows: { window_start: Date }[] = await suite.db.query(
      'SELECT window_start FROM usage_counters WHERE counter_key = $1',
      [month.counterKey],
    );
    expect(rows.map((r) => r.window_start.toISOString())).toEqual([monthStart.toISOString()]);
    const sixHours = await suite.limit(config.id, 'b-6h', 'cost');
    const [lattice]: { window_start: Date }[] = await suite.db.query(
      'SELECT window_start FROM usage_counters WHERE counter_key = $1',
      [sixHours.counterKey],
    );
    // Sub-day windows stay rolling even when aligned: a lattice anchored at creation.
    expect((lattice.window_start.getTime() - created.getTime()) % (6 * 3_600_000)).toBe(0);
    expect(await suite.usageInPostgres(config.id, 'b-month', 'cost')).toBe(usd('7'));
    expect(await suite.usageInPostgres(config.id, 'b-6h', 'cost')).toBe(usd('7'));
  });

  it('keeps usage across an upsert that keeps a window and restarts a window that changed', async () => {
    const config = aConfig({
      modelName: `u-${Date.now()}`,
      budgets: [
        { id: 'b-day', maxLimit: usd('10'), resetDuration: '1d' },
        { id: 'b-week', maxLimit: usd('50'), resetDuration: '1w' },
      ],
    });
    await publish('config', [configUpserted(config)]);
    await publish('usage', [usageRecorded(aUsage({ model: config.modelName, cost: usd('3') }))]);

    const updated = {
      ...config,
      updatedAt: new Date(),
      budgets: [
        { id: 'b-day', maxLimit: usd('20'), resetDuration: '1d' },
        { id: 'b-week', maxLimit: usd('50'), resetDuration: '2w' },
      ],
      rateLimit: { ...config.rateLimit!, tokenResetDuration: '2h' },
    };
    await publish('config', [configUpserted(updated)]);
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('3'));
    expect(await suite.usageInPostgres(config.id, 'b-week', 'cost')).toBe(0n);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(1n);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(0n);
    await waitFor(
      'Redis keeps the kept usage',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('3'),
    );
  });

  it('removes a deleted config from both read models and stops charging it', async () => {
    const config = aConfig({ modelName: `d-${Date.now()}` });
    await publish('config', [configUpserted(config)]);
    await waitFor('config in Redis', () => suite.configInRedis(config.id));
    await publish('config', [configDeleted(config.id)]);
    expect(await suite.limitsOf(config.id)).toEqual([]);
    await waitFor('config gone from Redis', async () => !(await suite.configInRedis(config.id)));
    const [{ n }]: { n: string }[] = await suite.db.query(
      `SELECT count(*) AS n FROM event_store WHERE envelope::jsonb -> 'data' ->> 'id' = $1`,
      [config.id],
    );
    expect(Number(n)).toBe(2); // its history stays in the event store
  });
});
