import { INestApplicationContext } from '@nestjs/common';
import { createDataSource, runMigrations } from '@app/database';
import { windowStart } from '@app/governance';
import {
  ACTIVE_VERSION_IN_POSTGRES,
  ACTIVE_VERSION_IN_REDIS,
  buildVersion,
  deleteKeys,
  LifecycleRefusedError,
  loadLimit,
  StoredLimit,
  VersionLifecycle,
  VersionRegistry,
  VersionSource,
} from '@app/ledger';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AUTH, RunningApi, startApi } from '../support/api-harness';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { startProjector } from '../support/projector-harness';
import { TEST_ENV } from '../support/test-env';
import { ADMISSIONS } from '../support/admission-client';
import { waitFor } from '../support/wait-for';

const PREFIX = 'ul-test-replay:';
const LIST = '/api/governance/model-configs';
// A database of its own: this suite prunes version 1 (public's read-model tables).
const DB_URL = (() => {
  const url = new URL(TEST_ENV.DATABASE_URL);
  url.pathname = `${url.pathname}_replay_switch`;
  return url.toString();
})();
const POLL_MS = 200; // TEST_ENV.POLL_INTERVAL

/**
 * The configs' windows roll over on minute boundaries (each config's created_at minute): two
 * answers a few seconds apart differ if one rolls between them (a CI run at 15:03:59 did).
 * Comparisons across such a span start with at least 20 s left in the minute.
 */
async function withRoomInTheMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 500));
}
const HOUR = 3_600_000;
// Fixed, so the answer does not move with the clock (it names its range).
const HISTORY_RANGE = {
  from: new Date(Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR).toISOString(),
  to: new Date(Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR).toISOString(),
};

const configs = Array.from({ length: 8 }, (_, i) =>
  aConfig({
    id: `replay-${i}`,
    modelName: `replay-model-${i}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    budgets: [{ id: 'b-day', maxLimit: usd(i === 0 ? '0.4' : '1000'), resetDuration: '1d' }],
  }),
);

interface Answer {
  status: number;
  body: string;
}
type Probe = 'list-pg' | 'list-memory' | 'history';
const PROBES: Probe[] = ['list-pg', 'list-memory', 'history'];

describe('replay lifecycle: switch, rollback and prune under continuous requests', () => {
  const topics = suiteTopics('replay-switch');
  const kafka = new KafkaTestClient();
  let db: DataSource;
  let redis: Redis;
  let registry: VersionRegistry;
  let lifecycle: VersionLifecycle;
  let projector: INestApplicationContext;
  let api: RunningApi;

  const env = () => ({ ...topicEnv(topics), DATABASE_URL: DB_URL, REDIS_KEY_PREFIX: PREFIX });

  const ask = async (probe: Probe): Promise<Answer> => {
    const res =
      probe === 'history'
        ? await api.http().get(`${LIST}/replay-1/usage`).query(HISTORY_RANGE).set(AUTH)
        : await api
            .http()
            .get(LIST)
            .query({ limit: '25', from_memory: probe === 'list-memory' ? 'true' : 'false' })
            .set(AUTH);
    return { status: res.status, body: JSON.stringify(res.body) };
  };
  const answers = async (): Promise<Record<Probe, Answer>> => {
    const [listPg, listMemory, history] = await Promise.all(PROBES.map(ask));
    return { 'list-pg': listPg, 'list-memory': listMemory, history };
  };

  /** Requests from `workers` loops over every probe until `stop` resolves. */
  const underLoad = async (stop: Promise<unknown>, workers = 4) => {
    const seen: { probe: Probe; answer: Answer }[] = [];
    let done = false;
    void stop.finally(() => (done = true));
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = w; !done; i += 1) {
          const probe = PROBES[i % PROBES.length];
          seen.push({ probe, answer: await ask(probe) });
        }
      }),
    );
    await stop;
    return seen;
  };

  const head = async () =>
    Number((await db.query('SELECT max(seq) AS h FROM event_store'))[0].h ?? 0);
  const lastSeq = async (schema: string) =>
    Number((await db.query(`SELECT last_seq FROM ${schema}.read_model_state`))[0].last_seq);
  const redisSeq = async (id: number) =>
    Number((await redis.hget(`{${PREFIX}v${id}}:meta`, 'seq')) ?? -1);

  /** Both versions hold every stored event, in PostgreSQL and in Redis. */
  const level = (ids: number[]) =>
    waitFor(`versions ${ids.join(', ')} level with the log`, async () => {
      const h = await head();
      for (const id of ids) {
        if ((await lastSeq(id === 1 ? 'public' : `read_model_v${id}`)) !== h) return false;
        if ((await redisSeq(id)) !== h) return false;
      }
      return true;
    });

  const followedBy = (source: symbol) => api.app.get<VersionSource>(source).current().id;
  const served = (id: number) =>
    waitFor(
      `API serving version ${id}`,
      async () =>
        followedBy(ACTIVE_VERSION_IN_POSTGRES) === id && followedBy(ACTIVE_VERSION_IN_REDIS) === id,
    );

  /** Usage streaming in from two gateways until stopped. */
  const stream = () => {
    let stopped = false;
    let sent = 0;
    const running = (async () => {
      while (!stopped) {
        const batch = Array.from({ length: 20 }, (_, i) =>
          usageRecorded(
            aUsage({ model: `replay-model-${(sent + i) % configs.length}`, cost: usd('0.01') }),
          ),
        );
        await kafka.sendEvents(topics.usage, batch);
        sent += batch.length;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await running;
        return sent;
      },
    };
  };

  /** Differences between two versions' counters and configs (rows in one and not the other). */
  const differences = async (a: string, b: string): Promise<number> => {
    const [{ n }]: { n: string }[] = await db.query(`
      SELECT (SELECT count(*) FROM (
                (SELECT counter_key, window_start, value FROM ${a}.usage_counters
                 EXCEPT SELECT counter_key, window_start, value FROM ${b}.usage_counters)
                UNION ALL
                (SELECT counter_key, window_start, value FROM ${b}.usage_counters
                 EXCEPT SELECT counter_key, window_start, value FROM ${a}.usage_counters)) d)
           + (SELECT count(*) FROM (
                (SELECT id, definition, version, deleted_at FROM ${a}.model_configs
                 EXCEPT SELECT id, definition, version, deleted_at FROM ${b}.model_configs)
                UNION ALL
                (SELECT id, definition, version, deleted_at FROM ${b}.model_configs
                 EXCEPT SELECT id, definition, version, deleted_at FROM ${a}.model_configs)) d) AS n`);
    return Number(n);
  };

  /** A projection bug in version 1 only: replay-0's day budget over-counted by $0.50. */
  const corruptVersion1 = async () => {
    const [{ limits }]: { limits: StoredLimit[] }[] = await db.query(
      `SELECT limits FROM public.model_configs WHERE id = 'replay-0'`,
    );
    const limit = limits
      .map(loadLimit)
      .find((l) => l.limitId === 'b-day' && l.dimension === 'cost')!;
    const start = windowStart(limit, new Date());
    // An UPDATE through TypeORM answers [rows, count].
    const [[row]]: [{ value: string; version: string }[], number] = await db.query(
      `UPDATE public.usage_counters SET value = value + $3, version = version + 1
        WHERE counter_key = $1 AND window_start = $2 RETURNING value, version`,
      [limit.counterKey, start.toISOString(), usd('0.5').toString()],
    );
    await redis.set(
      `{${PREFIX}v1}:c:${limit.counterKey}:${start.getTime()}`,
      `${row.version}:${row.value}`,
    );
  };

  /** Every answer seen equals `before` or `after` of its probe; counts of each. */
  const classify = (
    seen: { probe: Probe; answer: Answer }[],
    before: Record<Probe, Answer>,
    after: Record<Probe, Answer>,
  ) => {
    const counts = { before: 0, after: 0, other: [] as string[] };
    for (const s of seen) {
      if (s.answer.status === 200 && s.answer.body === before[s.probe].body) counts.before += 1;
      else if (s.answer.status === 200 && s.answer.body === after[s.probe].body) counts.after += 1;
      else counts.other.push(`${s.probe} ${s.answer.status} ${s.answer.body.slice(0, 200)}`);
    }
    return counts;
  };

  beforeAll(async () => {
    const admin = new Client({
      connectionString: TEST_ENV.DATABASE_URL.replace(/\/[^/]*$/, '/postgres'),
    });
    await admin.connect();
    await admin.query(
      `DROP DATABASE IF EXISTS "${new URL(DB_URL).pathname.slice(1)}" WITH (FORCE)`,
    );
    await admin.end();
    await runMigrations(DB_URL);
    db = await createDataSource({
      url: DB_URL,
      poolSize: 4,
      applicationName: 'tests',
    }).initialize();
    redis = new Redis(TEST_ENV.REDIS_URL);
    await deleteKeys(redis, `{${PREFIX}*`);
    registry = new VersionRegistry(db, PREFIX);
    lifecycle = new VersionLifecycle(db, redis, registry, PREFIX);
    await kafka.createTopics(topics);
    [projector, api] = await Promise.all([startProjector(env()), startApi(env())]);
    await kafka.sendEvents(
      topics.config,
      configs.map((c) => configUpserted(c)),
    );
    await waitFor('configs applied', async () => (await head()) >= configs.length);
  });

  afterAll(async () => {
    await api?.close();
    await projector?.close();
    await kafka.close();
    await db?.destroy();
    await deleteKeys(redis, `{${PREFIX}*`);
    redis.disconnect();
  });

  it('builds version 2 while events stream in; the projector then keeps it level', async () => {
    const alertsBefore = async () =>
      Number((await db.query('SELECT count(*) AS n FROM alert_outbox'))[0].n);
    const streaming = stream();
    await waitFor('some usage applied', async () => (await head()) > configs.length + 100);
    const alerts = await alertsBefore();
    expect((await buildVersion(db, redis, registry)).version).toBe(2);
    await new Promise((r) => setTimeout(r, 1000)); // live batches into both versions
    const sent = await streaming.stop();
    await waitFor('every event stored', async () => (await head()) === configs.length + sent);
    await level([1, 2]);
    expect(await differences('public', 'read_model_v2')).toBe(0);
    expect((await registry.followed()).all.map((v) => v.id)).toEqual([1, 2]);
    // Replaying never alerts: only the live crossings of the active version are in the outbox.
    const crossings: { n: string; distinct: string }[] = await db.query(
      'SELECT count(*) AS n, count(DISTINCT alert_id) AS distinct FROM alert_outbox',
    );
    expect(Number(crossings[0].n)).toBeGreaterThanOrEqual(alerts);
    expect(crossings[0].n).toBe(crossings[0].distinct);
    expect(Number(crossings[0].n)).toBeGreaterThan(0); // replay-0's $0.40 budget crossed 50%
  });

  it('switches with every answer during the switch complete and equal to before or after', async () => {
    await corruptVersion1();
    await withRoomInTheMinute();
    const before = await answers();
    expect(PROBES.map((p) => `${before[p].status} ${before[p].body.slice(0, 300)}`)).toEqual(
      PROBES.map((p) => `200 ${before[p].body.slice(0, 300)}`),
    );
    const alerts = Number((await db.query('SELECT count(*) AS n FROM alert_outbox'))[0].n);

    const switching = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      const result = await lifecycle.switchTo(2);
      await served(2);
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      return result;
    })();
    const seen = await underLoad(switching);
    expect(await switching).toMatchObject({ from: 1, to: 2 });
    const after = await answers();

    // The switch is visible (version 1 is corrupted, version 2 is not) on the three probes.
    expect(PROBES.filter((p) => before[p].body !== after[p].body)).toEqual([
      'list-pg',
      'list-memory',
    ]);
    const counts = classify(seen, before, after);
    process.stdout.write(
      `replay switch: ${seen.length} requests during the switch, ${counts.before} before-answers, ${counts.after} after-answers, ${counts.other.length} other\n`,
    );
    expect(counts.other).toEqual([]);
    expect(counts.before).toBeGreaterThan(0);
    expect(counts.after).toBeGreaterThan(0);
    // The usage history answers the same on both versions (its config is not corrupted).
    expect(after.history).toEqual(before.history);
    expect(Number((await db.query('SELECT count(*) AS n FROM alert_outbox'))[0].n)).toBe(alerts);
  });

  it('refuses what the registry does not allow', async () => {
    await expect(lifecycle.switchTo(2)).rejects.toMatchObject({ code: 'already_active' });
    await expect(lifecycle.switchTo(9)).rejects.toMatchObject({ code: 'unknown_version' });
    await expect(lifecycle.prune({ versionId: 2, graceMs: 2 * POLL_MS })).rejects.toBeInstanceOf(
      LifecycleRefusedError,
    );
    await expect(lifecycle.prune({ graceMs: 60_000 })).rejects.toMatchObject({
      code: 'recently_active',
    });
  });

  it('rolls back to the previous answers, and both versions keep following', async () => {
    await withRoomInTheMinute();
    const onVersion2 = await answers();
    const rolling = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      const result = await lifecycle.rollback();
      await served(1);
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      return result;
    })();
    const seen = await underLoad(rolling);
    expect(await rolling).toMatchObject({ from: 2, to: 1 });
    const restored = await answers();
    const counts = classify(seen, onVersion2, restored);
    expect(counts.other).toEqual([]);
    expect(restored['list-pg'].body).not.toBe(onVersion2['list-pg'].body); // version 1's bug is back

    await kafka.sendEvents(
      topics.usage,
      configs.map((c) => usageRecorded(aUsage({ model: c.modelName, cost: usd('0.03') }))),
    );
    await waitFor(
      'usage after the rollback stored',
      async () => (await head()) >= (await lastSeq('public')) && (await lastSeq('public')) > 0,
    );
    await level([1, 2]);
    // Only the corrupted counter differs (once in each direction).
    expect(await differences('public', 'read_model_v2')).toBe(2);
  });

  it('carries admission holds across a switch: reserved on version 1, still reserved on 2', async () => {
    const held = aConfig({
      id: 'replay-hold',
      modelName: 'replay-hold-model',
      createdAt: new Date(Date.UTC(2026, 0, 2)),
      budgets: [{ id: 'b-day', maxLimit: usd('1'), resetDuration: '1d' }],
    });
    await kafka.sendEvents(topics.config, [configUpserted(held)]);
    // By its own rows: the log's head can move for a late usage event of the test before.
    await waitFor('the config in both versions', async () => {
      const [{ n }]: { n: string }[] = await db.query(
        `SELECT (SELECT count(*) FROM public.model_configs WHERE id = 'replay-hold')
              + (SELECT count(*) FROM read_model_v2.model_configs WHERE id = 'replay-hold') AS n`,
      );
      return Number(n) === 2;
    });
    await level([1, 2]);
    const admit = async (requestId: string, cost: string) =>
      (
        await api.http().post(ADMISSIONS).set(AUTH).send({
          request_id: requestId,
          provider: 'openai',
          model: 'replay-hold-model',
          estimated_cost: cost,
        })
      ).body as { allowed: boolean; limits?: unknown[]; blocked_by?: unknown[] };

    const holdA = 'hold-a';
    const first = await admit(holdA, '0.6');
    expect(first).toMatchObject({ allowed: true });
    expect(first.limits?.length).toBeGreaterThan(0);
    const result = await lifecycle.switchTo(2, { followMs: 3 * POLL_MS });
    expect(result).toMatchObject({ from: 1, to: 2 });
    expect(result.holdsCarried).toBeGreaterThanOrEqual(1);
    await served(2);

    // $0.60 held on version 1 counts on version 2: another $0.60 would pass $1.
    expect(await admit('hold-b', '0.6')).toMatchObject({ allowed: false });
    // The repeat answers as before (its answer was carried with the hold).
    expect(await admit(holdA, '0.6')).toEqual(first);
    // Its usage event settles the carried hold on version 2: $0.50 used, $0.40 fits.
    await kafka.sendEvents(topics.usage, [
      usageRecorded(aUsage({ requestId: 'hold-a', model: 'replay-hold-model', cost: usd('0.5') })),
    ]);
    await waitFor(
      'the hold settled on version 2',
      async () => (await admit(`hold-c-${Date.now()}`, '0.4')).allowed,
    );

    await lifecycle.rollback(); // version 1 active again, as the prune below expects
    await served(1);
  });

  it('prunes the old version: its tables and keys and nothing else', async () => {
    await lifecycle.switchTo(2);
    await served(2);
    await withRoomInTheMinute();
    const onVersion2 = await answers();
    await new Promise((r) => setTimeout(r, 2 * POLL_MS + 100));
    const tablesOf = async (schema: string) => {
      const rows: { table_name: string }[] = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      );
      return rows.map((r) => r.table_name);
    };
    const publicBefore = await tablesOf('public');
    const v2Keys = (await redis.keys(`{${PREFIX}v2}:*`)).length;

    expect(await lifecycle.prune({ graceMs: 2 * POLL_MS })).toEqual([1]);

    const publicAfter = await tablesOf('public');
    expect(publicBefore.filter((t) => !publicAfter.includes(t))).toEqual([
      'model_config_counts',
      'model_configs',
      'read_model_state',
      'usage_counters',
    ]);
    expect(publicAfter).toEqual(
      expect.arrayContaining(['event_store', 'alert_outbox', 'read_model_versions']),
    );
    expect(await redis.keys(`{${PREFIX}v1}:*`)).toEqual([]);
    expect((await redis.keys(`{${PREFIX}v2}:*`)).length).toBe(v2Keys);
    expect((await registry.find(1))?.status).toBe('retired');
    expect(await answers()).toEqual(onVersion2);

    // The projector follows version 2 alone from now on.
    await kafka.sendEvents(
      topics.usage,
      configs.map((c) => usageRecorded(aUsage({ model: c.modelName, cost: usd('0.02') }))),
    );
    await waitFor(
      'usage after the prune applied',
      async () => (await lastSeq('read_model_v2')) === (await head()) && (await head()) > 0,
    );
    await level([2]);
  });
});
