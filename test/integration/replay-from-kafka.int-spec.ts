import { BuildLock, compareTables, ReadModelVersion } from '@app/ledger';
import { aConfig, aUsage, configUpserted, usageRecorded } from '../support/event-builders';
import { LogLockGate } from '../support/log-lock-gate';
import { jsonLine, replayProcess, runReplay } from '../support/replay-cli';
import { TEST_ENV } from '../support/test-env';
import { clearTestRedis } from '../support/test-read-model';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

interface Built {
  version: number;
  resumed: boolean;
  source: string;
  kafka: {
    records: number;
    appended: number;
    duplicates: number;
    already_dead_lettered: number;
    dead_lettered: number;
  };
}

const USAGE = 200;
const REDELIVERED = 5;

/**
 * `replay build --from kafka` on the real broker, the CLI compiled and run as a child process:
 * the store lost events the live projector had counted, and the rebuild from the topics gives
 * back what live ingestion gave, with the same dedup and dead-letter decisions.
 */
describe('replay build --from kafka', () => {
  const suite = new WriteSideSuite('replay-kafka');
  const models = ['rk-a', 'rk-b'];
  const configs = models.map((m) => aConfig({ modelName: m }));
  const usage = (i: number) =>
    usageRecorded(
      aUsage({ model: models[i % 2], cost: BigInt(1_000_003 * ((i % 7) + 1)), totalTokens: 10 }),
    );
  const cli = (args: string[]) => runReplay(args, suite.env);
  const storeSize = async () =>
    Number((await suite.db.query('SELECT count(*) AS n FROM event_store'))[0].n);
  /** Redis of these versions caught up with their PostgreSQL (verify compares it too). */
  const redisLevel = (ids: number[] = [1]) =>
    waitFor(`Redis of versions ${ids.join(', ')} caught up`, async () => {
      for (const id of ids) {
        const v = new ReadModelVersion(id, TEST_ENV.REDIS_KEY_PREFIX);
        const [{ last_seq }]: { last_seq: string }[] = await suite.db.query(
          `SELECT last_seq FROM ${v.tables.schema}.read_model_state`,
        );
        if ((await suite.redis.hget(v.keys.meta, 'seq')) !== last_seq) return false;
      }
      return true;
    });
  let lost = 0;

  beforeAll(async () => {
    await suite.setUp(false);
    // An earlier suite's Redis meta would be ahead of this fresh database and never match it.
    await clearTestRedis(suite.redis);
    await suite.startProjector();
    await suite.kafka.sendEvents(
      suite.topics.config,
      configs.map((c) => configUpserted(c)),
    );
    await suite.eventsApplied(2);
    const events = Array.from({ length: USAGE }, (_, i) => usage(i));
    await suite.kafka.sendEvents(suite.topics.usage, events);
    await suite.kafka.sendEvents(suite.topics.usage, events.slice(0, REDELIVERED)); // same ids
    await suite.kafka.send(suite.topics.usage, [
      { key: Buffer.from('bad-1'), value: Buffer.from('not json'), headers: {} },
      { key: Buffer.from('bad-2'), value: Buffer.from('{"specversion":"1.0"}'), headers: {} },
    ]);
    await suite.eventsApplied(2 + USAGE, 60_000);
    await suite.deadLettersLogged(2);
    await redisLevel();
    // The store loses every third usage event (a bad restore, a dropped partition): the live
    // read models still hold them, a rebuild from the store would not.
    const [, deleted]: [unknown[], number] = await suite.db.query(
      `WITH gone AS (
         DELETE FROM event_store WHERE type = 'governance.usage.recorded.v1' AND seq % 3 = 0
         RETURNING source, event_id)
       DELETE FROM event_keys k USING gone g WHERE k.source = g.source AND k.event_id = g.event_id`,
    );
    lost = deleted;
  }, 120_000);
  afterAll(() => suite.tearDown());

  it('refuses a bad --since, --since without kafka and a dry run from kafka with exit 2', async () => {
    const bad = await cli(['build', '--from', 'kafka', '--since', 'yesterday']);
    expect(bad.output).toContain(
      'usage-ledger: replay build: invalid --since "yesterday": must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    );
    expect(bad.code).toBe(2);
    const storeOnly = await cli(['build', '--since', '2026-01-01T00:00:00Z']);
    expect([storeOnly.code, storeOnly.output]).toEqual([
      2,
      expect.stringContaining('--since needs --from kafka'),
    ]);
    const dry = await cli(['build', '--from', 'kafka', '--dry-run']);
    expect(dry.code).toBe(2);
  });

  it('rebuilds what live ingestion gave: lost events back in the store, nothing twice', async () => {
    expect(lost).toBeGreaterThan(30);
    const fromStore = await cli(['build', '--dry-run']);
    expect(fromStore.code).toBe(1); // the store alone no longer gives the live answers

    // Records past the live position are the live projector's, also for the new version.
    await suite.stopProjector();
    await suite.kafka.sendEvents(
      suite.topics.usage,
      Array.from({ length: 10 }, (_, i) => usage(USAGE + i)),
    );
    // One dead letter the log forgot: it is dead-lettered again, with the same DLQ key.
    await suite.db.query('DELETE FROM dead_letters WHERE id = (SELECT min(id) FROM dead_letters)');

    const build = await cli(['build', '--from', 'kafka']);
    expect(build.code).toBe(0);
    const { built } = jsonLine<{ built: Built }>(build.output, 'built');
    const records = 2 + USAGE + REDELIVERED + 2;
    expect(built).toMatchObject({
      version: 2,
      source: 'kafka',
      kafka: {
        records,
        appended: lost,
        duplicates: records - 2 - lost,
        already_dead_lettered: 1,
        dead_lettered: 1,
      },
    });
    expect(await storeSize()).toBe(2 + USAGE);
    const [row]: { built_from: string; status: string }[] = await suite.db.query(
      'SELECT built_from, status FROM read_model_versions WHERE id = 2',
    );
    expect(row).toEqual({ built_from: 'kafka', status: 'following' });
    const dlq = await suite.kafka.readAll(suite.topics.dlq, 4, 4_000);
    expect(dlq).toHaveLength(3);
    expect(new Set(dlq.map((m) => m.key?.toString())).size).toBe(2);

    await suite.startProjector();
    await suite.eventsApplied(2 + USAGE + 10);
    await waitFor('both versions level with the log', async () => {
      const rows: { s: string }[] = await suite.db.query(
        `SELECT last_seq AS s FROM read_model_state
          UNION ALL SELECT last_seq FROM read_model_v2.read_model_state
          UNION ALL SELECT max(seq) FROM event_store`,
      );
      return new Set(rows.map((r) => String(r.s))).size === 1;
    });
    await redisLevel([1, 2]);
    const verify = await cli(['verify']);
    expect(verify.output).toContain('result: no differences');
    expect(verify.code).toBe(0);
    // Independently of the live version: every usage event once.
    const total = Array.from(
      { length: USAGE + 10 },
      (_, i) => 1_000_003n * BigInt((i % 7) + 1),
    ).reduce((a, b) => a + b, 0n);
    const [{ sum }]: { sum: string }[] = await suite.db.query(
      `SELECT sum(c.value) AS sum FROM read_model_v2.usage_counters c
         JOIN read_model_v2.model_configs mc ON true
         CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
        WHERE c.counter_key = l->>'counter_key' AND l->>'limit_id' = 'b-day'
          AND l->>'dimension' = 'cost'`,
    );
    expect(BigInt(sum)).toBe(total);
  });

  it('from --since after the last record reads nothing and builds from the store', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const build = await cli(['build', '--from', 'kafka', '--since', later]);
    expect(build.code).toBe(0);
    const { built } = jsonLine<{ built: Built }>(build.output, 'built');
    expect(built).toMatchObject({ version: 3, kafka: { records: 0, appended: 0 } });
    expect(await storeSize()).toBe(2 + USAGE + 10);
    expect((await cli(['verify', '--version', '3'])).code).toBe(0);
  });

  it('--since reads from the first record at or after that time, the earliest offset without it', async () => {
    const before = Array.from({ length: 20 }, (_, i) => usage(i));
    const after = Array.from({ length: 20 }, (_, i) => usage(i + 3));
    await suite.kafka.sendEvents(suite.topics.usage, before);
    await suite.eventsApplied(2 + USAGE + 30);
    await new Promise((r) => setTimeout(r, 50)); // the records' timestamps (ms) split at `since`
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    await suite.kafka.sendEvents(suite.topics.usage, after);
    await suite.eventsApplied(2 + USAGE + 50);
    const forget = async (events: { id: string }[]) => {
      await suite.db.query('DELETE FROM event_store WHERE event_id = ANY($1)', [
        events.map((e) => e.id),
      ]);
      await suite.db.query('DELETE FROM event_keys WHERE event_id = ANY($1)', [
        events.map((e) => e.id),
      ]);
    };
    await forget([...before, ...after]);

    const sinceBuild = await cli(['build', '--from', 'kafka', '--since', since]);
    expect(sinceBuild.code).toBe(0);
    const { built } = jsonLine<{ built: Built }>(sinceBuild.output, 'built');
    expect(built).toMatchObject({ version: 4, kafka: { records: 20, appended: 20 } });
    await redisLevel([1, 4]);
    // What came before `since` stays lost: the version lacks it.
    expect((await cli(['verify', '--version', '4'])).code).toBe(1);

    const full = await cli(['build', '--from', 'kafka']);
    expect(full.code).toBe(0);
    expect(jsonLine<{ built: Built }>(full.output, 'built').built).toMatchObject({
      version: 5,
      kafka: { appended: 20, duplicates: 2 + USAGE + REDELIVERED + 10 + 40 - 20 },
    });
    await redisLevel([1, 5]);
    expect((await cli(['verify', '--version', '5'])).code).toBe(0);
  });

  it('a build killed in its Kafka step leaves no lock or version behind; the rerun counts each event once', async () => {
    // The live version holds still, and the only batches that append are the build's.
    await suite.stopProjector();
    const complete = await storeSize();
    const [, forgotten]: [unknown[], number] = await suite.db.query(
      `WITH gone AS (
         DELETE FROM event_store WHERE type = 'governance.usage.recorded.v1' AND seq % 2 = 0
         RETURNING source, event_id)
       DELETE FROM event_keys k USING gone g WHERE k.source = g.source AND k.event_id = g.event_id`,
    );
    await suite.db.query('DELETE FROM dead_letters WHERE id = (SELECT max(id) FROM dead_letters)');
    const versionsRows = () =>
      suite.db.query('SELECT id, status, built_from FROM read_model_versions ORDER BY id');
    const versionsBefore: { id: number }[] = await versionsRows();
    const next = Math.max(...versionsBefore.map((v) => v.id)) + 1;

    // The fill appends one partition's batch per transaction, under the log lock shared: with
    // the lock held here, the build is caught between two batches, not by timing.
    const gate = new LogLockGate(suite.db);
    await gate.close();
    const killed = replayProcess(['build', '--from', 'kafka'], suite.env);
    let partial = 0;
    try {
      killed.start();
      expect(await gate.waiter()).toBe('shared'); // the config topic's batch
      // The Kafka step runs under the build lock, before the build names its version.
      const second = await cli(['build']);
      expect([second.code, second.output]).toEqual([
        1,
        expect.stringContaining('another replay build is running (it has not named itself yet)'),
      ]);
      // Batch by batch (configs, then usage one partition at a time) until lost events are
      // back in the store while another batch waits: the Kafka step has begun, not finished.
      for (;;) {
        partial = await storeSize();
        if (partial > complete - forgotten) break;
        await gate.pass();
        expect(await gate.waiter()).toBe('shared');
      }
      expect(partial).toBeLessThan(complete);
      await killed.kill();
    } finally {
      await killed.kill();
      await gate.open();
    }
    // The waiting batch never committed; the build lock went with the killed session; the
    // version is chosen after the Kafka step, so none was registered.
    await waitFor('the killed batch gone', () => gate.idle());
    expect(await storeSize()).toBe(partial);
    // Only with the gate open: a refused acquire names the holder on a third pooled connection.
    await waitFor('the build lock free', async () => {
      await (await BuildLock.acquire(suite.db)).release();
      return true;
    });
    expect(await versionsRows()).toEqual(versionsBefore);

    const rerun = await cli(['build', '--from', 'kafka']);
    expect(rerun.code).toBe(0);
    const { built } = jsonLine<{ built: Built }>(rerun.output, 'built');
    const records = 2 + USAGE + REDELIVERED + 2 + 10 + 40; // every record of both topics
    expect(built).toMatchObject({
      version: next,
      resumed: false,
      source: 'kafka',
      kafka: {
        records,
        appended: complete - partial,
        duplicates: records - 2 - (complete - partial),
      },
    });
    expect(built.kafka.already_dead_lettered + built.kafka.dead_lettered).toBe(2);
    const [store]: { n: string; distinct: string }[] = await suite.db.query(
      'SELECT count(*) AS n, count(DISTINCT (source, event_id)) AS distinct FROM event_store',
    );
    expect(store).toEqual({ n: String(complete), distinct: String(complete) });
    const [letters]: { n: string; distinct: string }[] = await suite.db.query(
      `SELECT count(*) AS n, count(DISTINCT (topic, partition, kafka_offset)) AS distinct
         FROM dead_letters`,
    );
    expect(letters).toEqual({ n: '2', distinct: '2' });

    await redisLevel([1, next]);
    const verify = await cli(['verify', '--version', String(next)]);
    expect(verify.output).toContain('result: no differences');
    expect(verify.code).toBe(0);
    const tables = await compareTables(
      suite.db.manager,
      new ReadModelVersion(1, TEST_ENV.REDIS_KEY_PREFIX),
      new ReadModelVersion(next, TEST_ENV.REDIS_KEY_PREFIX),
    );
    expect(tables.counters.compared).toBeGreaterThan(0);
    expect([tables.configs.different, tables.counters.different, tables.counts.different]).toEqual([
      0, 0, 0,
    ]);
    await suite.startProjector();
  });
});
