import { compareTables, ReadModelVersion, TableComparison } from '@app/ledger';
import { windowStart } from '@app/governance';
import {
  aConfig,
  aUsage,
  configDeleted,
  configUpserted,
  usageRecorded,
  usd,
} from '../support/event-builders';
import { jsonLine, replayProcess, runReplay, shiftedClock } from '../support/replay-cli';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const version = (id: number) => new ReadModelVersion(id, TEST_ENV.REDIS_KEY_PREFIX);
const HOUR = 3_600_000;
const USAGE_EVENTS = 6_000;

function noDifferences(t: TableComparison): void {
  expect({
    configs: t.configs.different,
    counters: t.counters.different,
    counts: t.counts.different,
  }).toEqual({ configs: 0, counters: 0, counts: 0 });
}

/**
 * `replay build` / `replay verify` on the real stack, the CLI compiled and run as a child
 * process: the live projector applies a mixed stream (configs created, changed, deleted,
 * usage spread over three days of windows), then the log is rebuilt into new versions.
 */
describe('replay build and verify', () => {
  const suite = new WriteSideSuite('replay-build', 2);
  const models = ['rb-a', 'rb-b', 'rb-c'];
  const configs = models.map((m, i) =>
    aConfig({ modelName: m, provider: i === 2 ? null : 'openai' }),
  );
  const vkConfig = aConfig({
    modelName: 'rb-a',
    scope: 'virtual_key',
    scopeId: 'vk-1',
    provider: null,
  });
  let storeCount = 0;

  beforeAll(async () => {
    await suite.setUp();
    await suite.kafka.sendEvents(suite.topics.config, [
      ...configs.map((c) => configUpserted(c)),
      configUpserted(vkConfig),
    ]);
    await suite.eventsApplied(4);
    const now = Date.now();
    const usage = (i: number) =>
      usageRecorded(
        aUsage({
          model: models[i % 3],
          virtualKeyId: i % 5 === 0 ? 'vk-1' : null,
          cost: BigInt(1_000_003 * ((i % 7) + 1)),
          totalTokens: 10 + (i % 11),
          // three days of windows, in no particular order
          time: new Date(now - ((i * 7_919_000) % (72 * HOUR))),
        }),
      );
    const half = USAGE_EVENTS / 2;
    for (let i = 0; i < half; i += 500) {
      await suite.kafka.sendEvents(
        suite.topics.usage,
        Array.from({ length: 500 }, (_, j) => usage(i + j)),
      );
    }
    await suite.eventsApplied(4 + half, 60_000);
    // A change of limits and a delete in the middle of the log, then more usage.
    await suite.kafka.sendEvents(suite.topics.config, [
      configUpserted({
        ...configs[1],
        budgets: [{ id: 'b-day', maxLimit: usd('50'), resetDuration: '1d' }],
        updatedAt: new Date('2026-01-02T00:00:00Z'),
      }),
      configDeleted(configs[2].id),
    ]);
    await suite.eventsApplied(6 + half);
    for (let i = half; i < USAGE_EVENTS; i += 500) {
      await suite.kafka.sendEvents(
        suite.topics.usage,
        Array.from({ length: 500 }, (_, j) => usage(i + j)),
      );
    }
    storeCount = 6 + USAGE_EVENTS;
    await suite.eventsApplied(storeCount, 60_000);
    // Redis of the live version caught up with PostgreSQL (verify compares it too).
    await waitFor('live Redis caught up', async () => {
      const [{ last_seq }]: { last_seq: string }[] = await suite.db.query(
        'SELECT last_seq FROM read_model_state',
      );
      return (await suite.redis.hget(suite.keys.meta, 'seq')) === last_seq;
    });
    await suite.stopProjector(); // nothing changes the live version from here on
  }, 180_000);
  afterAll(() => suite.tearDown());

  it('a dry run three days "later" rebuilds exactly the live tables, and drops its version', async () => {
    const later = shiftedClock(3 * 24 * HOUR + 7 * HOUR);
    const run = await runReplay(
      ['build', '--dry-run', '--chunk-size', '1000'],
      later.env,
      later.nodeArgs,
    );
    expect(run.output).toContain('result: no differences');
    expect(run.code).toBe(0);
    const versions: { id: number }[] = await suite.db.query('SELECT id FROM read_model_versions');
    expect(versions.map((v) => v.id)).toEqual([1]);
    const schemas: unknown[] = await suite.db.query(
      `SELECT 1 FROM pg_namespace WHERE nspname LIKE 'read\\_model\\_v%'`,
    );
    expect(schemas).toHaveLength(0);
  });

  it('builds version 2 equal to the live read models: verify exits 0', async () => {
    const build = await runReplay(['build']);
    expect(build.code).toBe(0);
    const { built } = jsonLine<{
      built: {
        version: number;
        events: number;
        resumed: boolean;
        seconds: number;
        phase_seconds: Record<string, number>;
      };
    }>(build.output, 'built');
    expect(built).toMatchObject({ version: 2, events: storeCount, resumed: false });
    // Where the time went: every phase, together no longer than the whole (which adds connecting).
    expect(Object.keys(built.phase_seconds)).toEqual(['start', 'catch-up', 'join', 'redis']);
    const phases = Object.values(built.phase_seconds);
    expect(phases.every((s) => s >= 0)).toBe(true);
    expect(phases.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(built.seconds + 0.01);
    const [row]: { status: string; redis_ready_at: Date | null }[] = await suite.db.query(
      'SELECT status, redis_ready_at FROM read_model_versions WHERE id = 2',
    );
    expect(row.status).toBe('following');
    expect(row.redis_ready_at).not.toBeNull();

    const verify = await runReplay(['verify']);
    expect(verify.output).toContain('result: no differences');
    expect(verify.code).toBe(0);
    const json = await runReplay(['verify', '--json']);
    expect(json.code).toBe(0);
    const report = jsonLine<{ differences: number; tables: TableComparison }>(
      json.output,
      'differences',
    );
    expect(report.differences).toBe(0);
    expect(report.tables.counters.compared).toBeGreaterThan(100);
    expect(report.tables.configs.compared).toBe(4);
  });

  it('reports a corrupted counter row of the active version with exit 1 and the exact values', async () => {
    const limit = await suite.limit(configs[0].id, 'b-day', 'cost');
    const start = windowStart(limit, new Date(Date.now() - 30 * HOUR)).toISOString();
    const [{ value }]: { value: string }[] = await suite.db.query(
      'SELECT value FROM usage_counters WHERE counter_key = $1 AND window_start = $2',
      [limit.counterKey, start],
    );
    await suite.db.query(
      'UPDATE usage_counters SET value = value + 7 WHERE counter_key = $1 AND window_start = $2',
      [limit.counterKey, start],
    );
    try {
      const verify = await runReplay(['verify']);
      expect(verify.code).toBe(1);
      const corrupted = String(BigInt(value) + 7n);
      expect(verify.output).toContain(
        `counter ${limit.counterKey} window ${start}: v1 ${corrupted}  v2 ${value}`,
      );
      expect(verify.output).toContain('result: 1 difference(s)');
      const json = await runReplay(['verify', '--json']);
      expect(json.code).toBe(1);
      const report = jsonLine<{ differences: number; tables: TableComparison }>(
        json.output,
        'differences',
      );
      expect(report.differences).toBe(1);
      expect(report.tables.counters.listed).toEqual([
        { counterKey: limit.counterKey, windowStart: start, active: corrupted, candidate: value },
      ]);
    } finally {
      await suite.db.query(
        'UPDATE usage_counters SET value = value - 7 WHERE counter_key = $1 AND window_start = $2',
        [limit.counterKey, start],
      );
    }
  });

  it('reports a changed Redis counter of the active version with exit 1 and the exact key', async () => {
    const limit = await suite.limit(configs[0].id, 'rl-1', 'requests');
    const name = `c:${limit.counterKey}:${windowStart(limit, new Date()).getTime()}`;
    const key = `${version(1).keys.base}${name}`;
    const original = await suite.redis.get(key);
    const v2 = await suite.redis.get(`${version(2).keys.base}${name}`);
    await suite.redis.set(key, '999:123456');
    try {
      const verify = await runReplay(['verify', '--json']);
      expect(verify.code).toBe(1);
      const report = jsonLine<{
        differences: number;
        redis: { listed: { key: string; active: string | null; candidate: string | null }[] };
      }>(verify.output, 'differences');
      expect(report.differences).toBe(1);
      expect(report.redis.listed).toEqual([{ key: name, active: '999:123456', candidate: v2 }]);
    } finally {
      if (original === null) await suite.redis.del(key);
      else await suite.redis.set(key, original);
    }
    expect((await runReplay(['verify'])).code).toBe(0);
  });

  it('refuses a second build naming the running one; a build killed midway resumes to the same result', async () => {
    // One event per transaction: the build takes long enough to be caught in the middle (with
    // 10, the paged reads finish the 6,000 events between two polls).
    const first = replayProcess(['build', '--chunk-size', '1']);
    first.start();
    try {
      await waitFor('the first build named itself', async () => {
        const rows: unknown[] = await suite.db.query('SELECT 1 FROM replay_build');
        return rows.length === 1;
      });
      const second = await runReplay(['build']);
      expect(second.code).toBe(1);
      expect(second.output).toContain(
        `replay build refused: another replay build is running: version 3, pid ${first.pid}`,
      );
      const t3 = version(3).tables;
      await waitFor('version 3 half built', async () => {
        const [{ last_seq }]: { last_seq: string }[] = await suite.db.query(
          `SELECT last_seq FROM ${t3.state}`,
        );
        return Number(last_seq) > storeCount / 3;
      });
      await first.kill();
    } finally {
      await first.kill();
    }
    const [{ last_seq: killedAt }]: { last_seq: string }[] = await suite.db.query(
      `SELECT last_seq FROM ${version(3).tables.state}`,
    );
    expect(Number(killedAt)).toBeLessThan(storeCount);

    const resumed = await runReplay(['build']);
    expect(resumed.code).toBe(0);
    const { built } = jsonLine<{ built: { version: number; events: number; resumed: boolean } }>(
      resumed.output,
      'built',
    );
    expect(built.version).toBe(3);
    expect(built.resumed).toBe(true);
    expect(built.events).toBe(storeCount - Number(killedAt));
    // The same result as the uninterrupted build (version 2), and as the live one.
    noDifferences(await compareTables(suite.db.manager, version(2), version(3)));
    expect((await runReplay(['verify', '--version', '3'])).code).toBe(0);
  });

  it('exits 2 when it cannot compare', async () => {
    const run = await runReplay(['verify', '--version', '9']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('read-model version 9 does not exist');
  });

  it('exits 2, not 1 ("differences found"), on a mistyped option', async () => {
    const run = await runReplay(['verify', '--version', 'abc']);
    expect(run.code).toBe(2);
    expect(run.output).toContain("option '--version <n>' argument 'abc' is invalid");
  });
});
