import { identityKey } from '@app/governance';
import {
  AdmissionLedger,
  ConfigListQuery,
  ReadModelNotReadyError,
  REDIS_LAYOUT,
  RedisResync,
} from '@app/ledger';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { aConfig, aUsage, usd } from '../support/event-builders';
import { deleted, LedgerMedium, upserted, used } from '../support/ledger-medium';
import { clearTestRedis } from '../support/test-read-model';

const everything: ConfigListQuery = {
  search: null,
  scope: null,
  scopeId: null,
  provider: null,
  limit: 100,
  offset: 0,
};

/** Rows PostgreSQL returned to a data source's callers: what a resync cycle read. */
function countingRows(ds: DataSource): { rows: number } {
  const seen = { rows: 0 };
  const query = ds.query.bind(ds);
  ds.query = (async (...args: Parameters<DataSource['query']>) => {
    const result: unknown = await query(...args);
    if (Array.isArray(result)) seen.rows += result.length;
    return result;
  }) as DataSource['query'];
  return seen;
}

/**
 * "Medium" tests: the batch applier, the Redis writer and the resync on the real PostgreSQL
 * and Redis, without Kafka.
 */
describe('ledger on real PostgreSQL and Redis (no Kafka)', () => {
  const ledger = new LedgerMedium();
  beforeAll(() => ledger.open());
  beforeEach(() => ledger.clear());
  afterAll(() => ledger.close());

  const usageIn = async (configId: string) => {
    const [pg, redis] = await Promise.all([
      ledger.postgres.get(configId, new Date()),
      ledger.redisReadModel.get(configId, new Date()),
    ]);
    const key = pg.snapshot!.limits.find((l) => l.kind === 'budget')!.counterKey;
    return { postgres: pg.usage.get(key) ?? 0n, redis: redis.usage.get(key) ?? 0n };
  };

  it('applies a batch once to both read models, and a redelivered batch not again', async () => {
    const config = aConfig({ modelName: 'medium-model' });
    await ledger.apply([upserted(config)]);
    const usage = [1, 2, 3].map(() => used(aUsage({ model: 'medium-model', cost: usd('0.5') })));
    const first = await ledger.apply(usage, 'medium.usage');
    expect(first.applied).toBe(3);
    // The same events again (a redelivery after a crash, at new offsets): the store drops them.
    const again = await ledger.apply(usage, 'medium.usage');
    expect([again.applied, again.duplicates]).toEqual([0, 3]);
    expect(await usageIn(config.id)).toEqual({ postgres: usd('1.5'), redis: usd('1.5') });
  });

  it('keeps the Redis indexes exact when a config moves scope and provider, and on delete', async () => {
    const config = aConfig({ provider: 'openai' });
    await ledger.apply([upserted(config)]);
    await ledger.apply([
      upserted({ ...config, scope: 'virtual_key', scopeId: 'vk-9', provider: 'anthropic' }),
    ]);
    const page = (q: Partial<ConfigListQuery>) =>
      ledger.redisReadModel
        .page({ ...everything, ...q }, new Date())
        .then((p) => [p.total, p.snapshots.map((s) => s.definition.id)]);
    expect(await page({ provider: 'openai' })).toEqual([0, []]);
    expect(await page({ scope: 'global' })).toEqual([0, []]);
    expect(await page({ scopeId: 'vk-9', provider: 'anthropic' })).toEqual([1, [config.id]]);
    await ledger.apply([deleted(config.id)]);
    expect(await page({})).toEqual([0, []]);
    expect(await page({ scope: 'virtual_key' })).toEqual([0, []]);
  });

  it('keeps the admission identity index on the config that holds each identity', async () => {
    const identities = () => ledger.redis.hgetall(ledger.version.keys.identities);
    const config = aConfig({ modelName: 'idx-model', provider: 'openai' });
    const other = aConfig({ modelName: 'idx-other' });
    await ledger.apply([upserted(config), upserted(other)]);
    const moved = { ...config, scope: 'user' as const, scopeId: 'u-1', provider: null };
    await ledger.apply([upserted(moved)]);
    expect(await identities()).toEqual({
      [identityKey('user', 'u-1', 'idx-model', null)]: config.id,
      [identityKey('global', null, 'idx-other', 'openai')]: other.id,
    });
    await ledger.apply([deleted(config.id)]);
    expect(await identities()).toEqual({
      [identityKey('global', null, 'idx-other', 'openai')]: other.id,
    });
  });

  it('never lets an older config version overwrite a newer one in Redis', async () => {
    const config = aConfig({ modelName: 'v1-name' });
    const v1 = await ledger.apply([upserted(config)]);
    await ledger.apply([upserted({ ...config, modelName: 'v2-name' })]);
    // A late, repeated write of version 1 (a retry that lost the race).
    await ledger.writer.write(v1, ledger.applier.configIndex());
    const read = await ledger.redisReadModel.get(config.id, new Date());
    expect(read.snapshot?.definition.modelName).toBe('v2-name');
    const search = await ledger.redisReadModel.page({ ...everything, search: 'V2' }, new Date());
    expect(search.total).toBe(1);
  });

  it('rebuilds a flushed Redis from PostgreSQL in slices, page for page', async () => {
    const configs = Array.from({ length: 45 }, (_, i) =>
      aConfig({ modelName: `m-${i}`, provider: i % 2 ? 'openai' : null }),
    );
    await ledger.apply(configs.map(upserted));
    await ledger.apply([used(aUsage({ model: 'm-3', cost: usd('2') }))], 'medium.usage');
    await clearTestRedis(ledger.redis);
    const resync = new RedisResync(ledger.db, ledger.redis, ledger.version, ledger.writer, {
      sliceSize: 7,
      pauseMs: 0,
    });
    expect(await resync.run()).toBe('full');
    for (const q of [everything, { ...everything, provider: 'openai', limit: 5, offset: 3 }]) {
      const [pg, redis] = await Promise.all([
        ledger.postgres.page(q, new Date()),
        ledger.redisReadModel.page(q, new Date()),
      ]);
      // Redis answers 0 for a counter with no window yet, PostgreSQL has no row: both mean 0.
      const used = (u: ReadonlyMap<string, bigint>) =>
        [...u].filter(([, v]) => v !== 0n).sort(([a], [b]) => (a < b ? -1 : 1));
      expect({ ...redis, usage: used(redis.usage) }).toEqual({ ...pg, usage: used(pg.usage) });
    }
    expect(await usageIn(configs[3].id)).toEqual({ postgres: usd('2'), redis: usd('2') });
  });

  it('leaves an emptied Redis to the full resync when a batch lands before it', async () => {
    const before = Array.from({ length: 5 }, (_, i) => aConfig({ modelName: `kept-${i}` }));
    await ledger.apply(before.map(upserted));
    await clearTestRedis(ledger.redis); // a Redis restart: every key lost
    // A live batch written before the resync's next cycle holds only its own config.
    const late = aConfig({ modelName: 'late' });
    await ledger.apply([upserted(late)]);
    await expect(ledger.redisReadModel.page(everything, new Date())).rejects.toBeInstanceOf(
      ReadModelNotReadyError,
    );
    await expect(ledger.redisReadModel.get(late.id, new Date())).rejects.toBeInstanceOf(
      ReadModelNotReadyError,
    );
    expect(await ledger.redis.hget(ledger.version.keys.meta, 'seq')).toBeNull();
    expect(await ledger.resync.run()).toBe('full');
    const page = await ledger.redisReadModel.page(everything, new Date());
    expect(page.total).toBe(6);
  });

  it('rewrites a Redis of an older layout in full; admissions wait for it instead of matching nothing', async () => {
    const config = aConfig({ modelName: 'layout-model', provider: 'openai' });
    await ledger.apply([upserted(config)]);
    // What the release before the identity index left: no index, no layout stamp, and rows
    // whose config version Redis already holds (a fenced rewrite alone would skip them).
    const { meta, identities } = ledger.version.keys;
    await ledger.redis.del(identities);
    await ledger.redis.hdel(meta, 'layout');
    const admissions = new AdmissionLedger(ledger.redis, { current: () => ledger.version });
    const request = {
      requestId: `layout-${Date.now()}`,
      provider: 'openai',
      model: 'layout-model',
      virtualKeyId: null,
      userId: null,
      estimatedCost: usd('1'),
      estimatedTokens: 0,
      holdMs: 60_000,
    };
    await expect(admissions.admit(request, new Date())).rejects.toBeInstanceOf(
      ReadModelNotReadyError,
    );
    expect(await ledger.resync.run()).toBe('full');
    expect(await ledger.redis.hget(meta, 'layout')).toBe(REDIS_LAYOUT);
    expect(await ledger.redis.hgetall(identities)).toEqual({
      [identityKey('global', null, 'layout-model', 'openai')]: config.id,
    });
    const decision = await admissions.admit(request, new Date());
    expect(decision).toMatchObject({ allowed: true });
    const text = JSON.stringify(decision, (_, v: unknown) =>
      typeof v === 'bigint' ? String(v) : v,
    );
    expect(text).toContain(config.id); // its budget was checked
  });

  describe('admission holds', () => {
    const model = 'holds-model';
    const config = aConfig({
      modelName: model,
      provider: null,
      budgets: [{ id: 'b-holds', maxLimit: usd('100'), resetDuration: '1d' }],
      rateLimit: null,
    });
    const ask = (requestId: string, estimatedCost: bigint) => ({
      requestId,
      provider: 'openai',
      model,
      virtualKeyId: null,
      userId: null,
      estimatedCost,
      estimatedTokens: 0,
      holdMs: 60_000,
    });
    let admissions: AdmissionLedger;
    /** The budget's committed usage and active holds, as an admission holding nothing sees them. */
    const budgetSeen = async () => {
      const probe = await admissions.admit(ask(`probe-${randomUUID()}`, 0n), new Date());
      const [limit] = probe.limits;
      return { committed: limit.committed, held: limit.reserved };
    };
    const pools = () => ledger.redis.keys(`${ledger.version.keys.base}adm:p:*`);

    beforeEach(async () => {
      await ledger.apply([upserted(config)]);
      admissions = new AdmissionLedger(ledger.redis, { current: () => ledger.version });
    });

    it('settles a request id that comes twice in one batch once', async () => {
      const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
      for (const id of [a, b]) {
        expect(await admissions.admit(ask(id, usd('0.4')), new Date())).toMatchObject({
          allowed: true,
        });
      }
      const usage = () => used(aUsage({ requestId: a, model, cost: usd('0.4') }));
      await ledger.apply([usage(), usage()], 'medium.usage');
      // Both events count; a's hold goes once, b's stays.
      expect(await budgetSeen()).toEqual({ committed: usd('0.8'), held: usd('0.4') });
    });

    it('settles more holds in one batch than the script reads at a time', async () => {
      const ids = Array.from({ length: 230 }, (_, i) => `many-${i}-${randomUUID()}`);
      for (const id of ids) await admissions.admit(ask(id, usd('0.01')), new Date());
      expect(await budgetSeen()).toEqual({ committed: 0n, held: usd('2.3') });
      const usage = ids.map((requestId) => used(aUsage({ requestId, model, cost: usd('0.01') })));
      await ledger.apply(usage, 'medium.usage');
      expect(await budgetSeen()).toEqual({ committed: usd('2.3'), held: 0n });
      expect(await pools()).toEqual([]);
    });

    it('releases a hold whose pool is gone without leaving a pool behind', async () => {
      const id = `gone-${randomUUID()}`;
      await admissions.admit(ask(id, usd('0.4')), new Date());
      const [pool] = await pools();
      await ledger.redis.del(pool); // as its TTL does once the window is past
      expect(await admissions.release(id)).toBe(true);
      expect(await admissions.release(id)).toBe(false);
      expect(await pools()).toEqual([]);
    });
  });

  it('drops from Redis a config PostgreSQL no longer has, on a full resync', async () => {
    const kept = aConfig();
    const gone = aConfig({ modelName: 'gone' });
    await ledger.apply([upserted(kept), upserted(gone)]);
    await ledger.db.query(`DELETE FROM ${ledger.version.tables.configs} WHERE id = $1`, [gone.id]);
    await ledger.resync.run(true);
    const page = await ledger.redisReadModel.page(everything, new Date());
    expect(page.snapshots.map((s) => s.definition.id)).toEqual([kept.id]);
    expect(page.total).toBe(1);
  });

  it('heals a lost write incrementally, reading only what changed since the last cycle', async () => {
    const configs = Array.from({ length: 300 }, (_, i) => aConfig({ modelName: `bulk-${i}` }));
    await ledger.apply(configs.map(upserted));
    const seen = countingRows(ledger.db);
    const resync = new RedisResync(ledger.db, ledger.redis, ledger.version, ledger.writer);
    await resync.run(); // first cycle: Redis is current, nothing to do
    // A batch committed to PostgreSQL whose Redis write was lost (a crash in between).
    await ledger.commit([used(aUsage({ model: 'bulk-7', cost: usd('3') }))], 'medium.lost');
    await resync.run(); // the index's first load: every live config, once per process
    await ledger.commit([used(aUsage({ model: 'bulk-8', cost: usd('4') }))], 'medium.lost');
    seen.rows = 0;
    expect(await resync.run()).toBe('incremental');
    // read_model_state, the changed counters and nothing else: not the 300 configs
    expect(seen.rows).toBeLessThan(10);
    expect(await usageIn(configs[7].id)).toEqual({ postgres: usd('3'), redis: usd('3') });
    expect(await usageIn(configs[8].id)).toEqual({ postgres: usd('4'), redis: usd('4') });
  });
});
