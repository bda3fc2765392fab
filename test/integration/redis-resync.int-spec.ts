import { AppConfig } from '@app/config';
import { windowStart } from '@app/governance';
import { BatchConsumer, createKafka } from '@app/kafka';
import Redis from 'ioredis';
import pino from 'pino';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { RunningApi, startApi } from '../support/api-harness';
import { listing, memoryPathHealed } from '../support/memory-listing';
import { PrivateRedis } from '../support/private-redis';
import { TEST_ENV } from '../support/test-env';
import { clearTestRedis, TEST_READ_MODEL } from '../support/test-read-model';
import { WriteSideSuite } from '../support/write-side-suite';
import { waitFor } from '../support/wait-for';

describe('Redis resync from PostgreSQL', () => {
  const suite = new WriteSideSuite('resync', 1);
  beforeAll(() => suite.setUp());
  afterAll(() => suite.tearDown());

  it('matches PostgreSQL again within one poll cycle after a FLUSHDB', async () => {
    const config = aConfig({ modelName: 'resync-model' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    // A config charges the usage applied after it (the two topics are not ordered together).
    await suite.eventsApplied(1);
    await suite.kafka.sendEvents(
      suite.topics.usage,
      Array.from({ length: 25 }, () =>
        usageRecorded(aUsage({ model: 'resync-model', cost: usd('0.2') })),
      ),
    );
    await suite.eventsApplied(26);
    await waitFor(
      'Redis caught up',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('5'),
    );

    const pollMs = suite.projector!.get(AppConfig).env.POLL_INTERVAL;
    await suite.redis.flushdb();
    const flushedAt = Date.now();
    await waitFor(
      'Redis healed',
      async () =>
        (await suite.configInRedis(config.id)) &&
        (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('5') &&
        (await suite.usageInRedis(config.id, 'rl-1', 'requests')) === 25n,
      5_000,
      10,
    );
    // The first tick after the flush finds the meta hash gone and rewrites everything; the bound
    // adds to one cycle the time that full resync may take on a busy 2-core machine.
    expect(Date.now() - flushedAt).toBeLessThan(pollMs + 1000);
  });

  it('heals a write lost between the PostgreSQL commit and Redis', async () => {
    const config = aConfig({ modelName: 'lost-write' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await waitFor('config in Redis', () => suite.configInRedis(config.id));
    await suite.kafka.sendEvents(suite.topics.usage, [
      usageRecorded(aUsage({ model: 'lost-write', cost: usd('2') })),
    ]);
    await waitFor(
      'usage in Redis',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('2'),
    );
    // Simulates a projector that committed to PostgreSQL and died before writing Redis.
    await suite.redis.hset(suite.keys.meta, 'seq', '0');
    const limit = await suite.limit(config.id, 'b-day', 'cost');
    const keys = await suite.redis.keys(
      `${suite.keys.counter(limit.counterKey, 0).replace(/0$/, '')}*`,
    );
    await suite.redis.del(...keys);
    await waitFor(
      'Redis healed',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('2'),
    );
  });
});

describe('Redis emptied, then a live batch applied before the next resync cycle', () => {
  // A long cycle, so the batch lands well before the tick that must rebuild Redis, and a full
  // rewrite too rare to rescue it: only the resync finding no meta seq can heal in time.
  const POLL_MS = 3_000;
  const suite = new WriteSideSuite('resync-race', 1);
  let api: RunningApi;

  beforeAll(async () => {
    await suite.setUp(false);
    await suite.startProjector({
      POLL_INTERVAL: `${POLL_MS}ms`,
      REDIS_FULL_RESYNC_INTERVAL: '10m',
    });
    api = await startApi({ ...suite.env, DEPENDENCY_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    await api?.close();
    await suite.tearDown();
  });

  it('answers 503 from memory until Redis holds every config, within one poll cycle', async () => {
    const before = Array.from({ length: 5 }, (_, i) => aConfig({ modelName: `race-${i}` }));
    await suite.kafka.sendEvents(
      suite.topics.config,
      before.map((c) => configUpserted(c)),
    );
    await waitFor(
      'every config on the memory path',
      async () => (await listing(api, true)).body.total_count === 5,
      POLL_MS * 3,
    );

    await suite.redis.flushdb();
    const flushedAt = Date.now();
    const late = aConfig({ modelName: 'race-late' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(late)]);
    // The batch's own Redis write has landed (on an empty Redis, most likely before the tick).
    await waitFor('the late config in Redis', () => suite.configInRedis(late.id), POLL_MS);
    const truth = (await listing(api, false)).body as { total_count: number };
    expect(truth.total_count).toBe(6);
    // A 200 listing only the late config (a meta seq the batch created, the rewrite skipped)
    // fails here; so does one listing nothing.
    await memoryPathHealed(api, truth, POLL_MS * 3);
    // The next tick finds no meta seq and rewrites everything; the rest is slack for a busy
    // 2-core machine.
    expect(Date.now() - flushedAt).toBeLessThan(POLL_MS + 1_000);
  });
});

describe('a Redis write that failed, with a later batch written after it', () => {
  // A long cycle, so the later batch's write lands before the next tick, and a full rewrite too
  // rare to rescue it: only the failed write's own mark can heal it in time.
  const POLL_MS = 3_000;
  const suite = new WriteSideSuite('resync-failed-write', 1);
  const redis = new PrivateRedis();

  beforeAll(async () => {
    await redis.start();
    suite.useRedis(redis.url);
    await suite.setUp(false);
    await suite.startProjector({
      REDIS_URL: redis.url,
      POLL_INTERVAL: `${POLL_MS}ms`,
      REDIS_FULL_RESYNC_INTERVAL: '10m',
      LOG_LEVEL: 'error', // the refused write is logged as a warning, expected here
    });
  });
  afterAll(async () => {
    await suite.tearDown();
    await redis.stop();
  });

  it('heals the failed batch within one poll cycle, though the meta seq moved past it', async () => {
    const failed = aConfig({ modelName: 'failed-write' });
    const later = aConfig({ modelName: 'later-write' });
    await suite.kafka.sendEvents(suite.topics.config, [
      configUpserted(failed),
      configUpserted(later),
    ]);
    await waitFor(
      'both configs in Redis',
      async () => (await suite.configInRedis(failed.id)) && (await suite.configInRedis(later.id)),
    );

    // Only the resync creates the meta seq (the read model is "being rebuilt" until then).
    await waitFor(
      'the meta seq created',
      async () => (await suite.redis.hget(suite.keys.meta, 'seq')) !== null,
      POLL_MS * 3,
    );

    // Redis refuses every write (OOM) while the usage of `failed` is committed to PostgreSQL.
    const oomBefore = await oomReplies(suite.redis);
    await suite.redis.config('SET', 'maxmemory', '1');
    await suite.kafka.sendEvents(suite.topics.usage, [
      usageRecorded(aUsage({ model: 'failed-write', cost: usd('3') })),
    ]);
    await waitFor(
      'the usage committed to PostgreSQL',
      async () => (await suite.usageInPostgres(failed.id, 'b-day', 'cost')) === usd('3'),
    );
    await waitFor(
      'the Redis write refused',
      async () => (await oomReplies(suite.redis)) > oomBefore,
    );
    await suite.redis.config('SET', 'maxmemory', '0');

    // A later batch writes Redis fine and moves its meta seq past the failed one.
    await suite.kafka.sendEvents(suite.topics.usage, [
      usageRecorded(aUsage({ model: 'later-write', cost: usd('1') })),
    ]);
    await waitFor(
      'the later usage in Redis',
      async () => (await suite.usageInRedis(later.id, 'b-day', 'cost')) === usd('1'),
    );
    const laterWrittenAt = Date.now();
    const [{ seq }]: { seq: string }[] = await suite.db.query(
      `SELECT last_seq AS seq FROM ${TEST_READ_MODEL.tables.state} WHERE id = 1`,
    );
    expect(Number(await suite.redis.hget(suite.keys.meta, 'seq'))).toBeGreaterThanOrEqual(
      Number(seq),
    );

    await waitFor(
      'the failed batch healed',
      async () => (await suite.usageInRedis(failed.id, 'b-day', 'cost')) === usd('3'),
      POLL_MS * 3,
      20,
    );
    // The next tick (at most one cycle away) copies what changed after the failed batch's
    // start; the rest is slack for a busy 2-core machine.
    expect(Date.now() - laterWrittenAt).toBeLessThan(POLL_MS + 1_000);
  });
});

/** How many commands this Redis refused for lack of memory (INFO errorstats). */
async function oomReplies(redis: Redis): Promise<number> {
  const info = await redis.info('errorstats');
  return Number(/errorstat_OOM:count=(\d+)/.exec(info)?.[1] ?? 0);
}

describe('a write another instance lost, with the meta seq moved past it', () => {
  // Redis misses a committed change although its meta seq is current: what a projector that
  // died between its commit and its Redis write leaves when another instance wrote after it.
  // The rebalance that follows the death is the only sign, and it must be enough.
  const suite = new WriteSideSuite('resync-rebalance', 2);
  const silent = pino({ level: 'silent' });
  let newcomer: BatchConsumer | null = null;

  beforeAll(async () => {
    await suite.setUp(false);
    await clearTestRedis(suite.redis);
    // fatal: kafkajs logs each "rebalancing" heartbeat answer of the rebalance as an error.
    await suite.startProjector({ REDIS_FULL_RESYNC_INTERVAL: '10m', LOG_LEVEL: 'fatal' });
  });
  afterAll(async () => {
    await newcomer?.stop();
    await suite.tearDown();
  });

  it('is healed once the group rebalances', async () => {
    const config = aConfig({ modelName: 'lost-elsewhere' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await suite.eventsApplied(1);
    await suite.kafka.sendEvents(suite.topics.usage, [
      usageRecorded(aUsage({ model: 'lost-elsewhere', cost: usd('4') })),
    ]);
    await waitFor(
      'usage in Redis, meta current',
      async () =>
        (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('4') &&
        Number(await suite.redis.hget(suite.keys.meta, 'seq')) >= 2,
    );
    const limit = await suite.limit(config.id, 'b-day', 'cost');
    await suite.redis.del(
      suite.keys.counter(limit.counterKey, windowStart(limit, new Date()).getTime()),
    );
    // The gap is invisible to the poll cycle: three cycles later it is still there.
    const pollMs = suite.projector!.get(AppConfig).env.POLL_INTERVAL;
    await new Promise((r) => setTimeout(r, pollMs * 3));
    expect(await suite.usageInRedis(config.id, 'b-day', 'cost')).toBe(0n);

    // Another projector joins the usage group (as a restarted instance would): a rebalance.
    const groupKafka = createKafka({
      brokers: TEST_ENV.KAFKA_BROKERS.split(','),
      clientId: 'resync-rebalance',
      logger: silent,
    });
    let joined = 0;
    newcomer = new BatchConsumer(groupKafka, {
      groupId: suite.projector!.get(AppConfig).consumerGroups.usage,
      topics: [suite.topics.usage],
      storedPositions: async () => new Map(),
      handle: async () => undefined,
      logger: silent,
      sessionTimeoutMs: 10_000,
      onGroupJoin: () => (joined = Date.now()),
    });
    await newcomer.start();
    await waitFor('the newcomer in the group', async () => joined > 0, 30_000, 50);
    await waitFor(
      'the lost write healed',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('4'),
      15_000,
      20,
    );
    // The projector's rejoin (its next heartbeat) and one cycle; the rest is slack.
    expect(Date.now() - joined).toBeLessThan(pollMs + 5_000);
  });
});
