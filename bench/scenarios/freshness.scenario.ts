import { createProducer } from '@app/kafka';
import { ModelConfigDefinition } from '@app/governance';
import { RedisKeys } from '@app/ledger';
import Redis from 'ioredis';
import { Kafka, Producer } from 'kafkajs';
import { Client } from 'pg';
import { buildFleet } from '../../apps/cli/src/simulate/fleet-configs';
import { DEFAULT_PLAN, publishPaced } from '../../apps/cli/src/simulate/paced-publisher';
import { publishFleet } from '../../apps/cli/src/simulate/publish-fleet';
import { usageMessage } from '../../apps/cli/src/produce/usage-producer';
import { BenchContext, Scenario } from '../runner/scenario';
import { appliedRecords, freshDatabase, waitFor } from '../support/bench-database';
import { bareConsumer } from '../support/bare-consumer';
import {
  benchKafka,
  BenchTopics,
  createBenchTopics,
  deleteBenchTopics,
  deleteRedisPrefix,
} from '../support/bench-topics';
import { BENCH_SOURCE } from '../support/preload';
import { percentile, poll, ProbeLatencies } from '../support/probe-watch';
import { memoryMb, ProjectorProcess, serviceEnv } from '../support/service-process';

const RATE = 5000;
const PROBE_RATE = 100;
const CONFIGS = 1000;
const PROBE_KEY = Buffer.from('bench-probe');
const CREATED = new Date('2026-01-01T00:00:00Z');

/** Charged by the probes alone (no other usage names this model), counting requests forever. */
const PROBE_CONFIG: ModelConfigDefinition = {
  id: 'bench-probe',
  modelName: 'bench-probe',
  provider: 'bench',
  scope: 'global',
  scopeId: null,
  scopeName: null,
  calendarAligned: false,
  budgets: [{ id: 'bench-probe-budget', maxLimit: 1_000_000_000_000n, resetDuration: '1Y' }],
  rateLimit: {
    id: 'bench-probe-rl',
    tokenMaxLimit: null,
    tokenResetDuration: null,
    requestMaxLimit: 1_000_000_000,
    requestResetDuration: '1Y',
  },
  createdAt: CREATED,
  updatedAt: CREATED,
};

/**
 * (2) Freshness at a steady 5,000 events/s: one probe event per produce request, all on one
 * partition, and the probe config's request counter polled in Redis and in PostgreSQL every
 * 5 ms. Baseline: when a bare kafkajs consumer receives the same probe.
 * (5) Peak RSS of the projector and of an API process serving list requests meanwhile.
 */
export function freshnessScenario(): Scenario {
  let kafka: Kafka;
  let topics: BenchTopics;
  let producer: Producer;
  let db: Client;
  let redis: Redis;
  let projector: ProjectorProcess;
  let api: ProjectorProcess;
  let apiStartRss = 0;
  let prefix = '';
  let env: Record<string, string> = {};
  let bare: { disconnect(): Promise<void> };
  let redisKey = '';
  let counterKey = '';
  const sentAt: number[] = [];
  const watch = {
    redis: new ProbeLatencies(sentAt),
    pg: new ProbeLatencies(sentAt),
    kafka: new ProbeLatencies(sentAt),
  };

  const pgCount = async () => {
    const { rows } = await db.query<{ n: string }>(
      'SELECT coalesce(sum(value), 0) AS n FROM usage_counters WHERE counter_key = $1',
      [counterKey],
    );
    return Number(rows[0].n);
  };
  const redisCount = async () => Number((await redis.get(redisKey))?.split(':')[1] ?? 0);

  const sendProbes = (seconds: number) =>
    publishPaced(
      producer,
      topics.usage,
      (n, now) =>
        Array.from({ length: n }, () => {
          const probe = usageMessage(probeUsage(sentAt.length, now), BENCH_SOURCE);
          sentAt.push(performance.now());
          return { ...probe, key: PROBE_KEY };
        }),
      { ...DEFAULT_PLAN, rate: PROBE_RATE, seconds },
    );

  /**
   * The fleet's traffic from `npm run simulate` in its own process, probes meanwhile. Usage
   * only: the fleet was published in setup, and republishing it (1,000 config changes, each
   * batch of them applied alone) is no steady load.
   */
  const load = async (ctx: BenchContext, seconds: number, seed: number): Promise<number> => {
    const simulate = new ProjectorProcess({ ...env, NODE_ENV: 'production' }, 'cli', [
      'simulate',
      '--configs',
      String(CONFIGS),
      '--rate',
      String(RATE - PROBE_RATE),
      '--seconds',
      String(seconds + 1),
      '--seed',
      String(seed),
      '--usage-only',
    ]);
    simulate.start();
    try {
      await waitFor(
        'simulate started',
        async () => simulate.log.includes('model configs published'),
        60_000,
      );
      await sendProbes(seconds);
      await simulate.exited(60_000);
    } catch (error) {
      await simulate.stop();
      throw new Error(`${(error as Error).message}\nsimulate log:\n${simulate.log.slice(-2000)}`);
    }
    const last = simulate.log.trim().split('\n').pop() ?? '';
    const { records, seconds: took } = JSON.parse(last) as { records: number; seconds: number };
    ctx.log('simulated', { records, seconds: took });
    return records / took + PROBE_RATE;
  };

  const caughtUp = async (ctx: BenchContext) => {
    await waitFor('probes in PostgreSQL', async () => (await pgCount()) >= sentAt.length, 60_000);
    if (!redisKey) redisKey = await redisCounterKey(db, prefix, counterKey);
    await waitFor('probes in Redis', async () => (await redisCount()) >= sentAt.length, 60_000);
    ctx.log('freshness caught up', { probes: sentAt.length });
  };

  return {
    name: 'freshness',
    title: 'Freshness',
    notes:
      `A steady ${RATE.toLocaleString('en-US')} events/s asked (the rate-produced row says what the machine delivered) of simulated gateway traffic over 1,000 configs, produced by \`npm run simulate\` in its own process, plus 100 probe events/s from the bench (one partition). ` +
      'Latency: from handing the probe to the producer to the probe counter showing it; polled every 5 ms, so add up to 5 ms of sampling. The API process serves 10 list requests/s (Redis and PostgreSQL paths) meanwhile.',
    runs: (quick) => (quick ? 1 : 3),
    figures: [
      latency('redis_p50', 'visible in Redis, p50', 'kafka_p50'),
      latency('redis_p99', 'visible in Redis, p99', 'kafka_p99', 250),
      latency('pg_p50', 'visible in PostgreSQL, p50', 'kafka_p50'),
      latency('pg_p99', 'visible in PostgreSQL, p99', 'kafka_p99', 250),
      latency('kafka_p50', 'received by a bare kafkajs consumer, p50'),
      latency('kafka_p99', 'received by a bare kafkajs consumer, p99'),
      { name: 'rate', label: 'rate produced', unit: 'events/s', better: 'higher' },
      { name: 'projector_peak_rss', label: 'projector peak RSS', unit: 'MB', better: 'lower' },
      {
        name: 'api_peak_rss',
        label: 'API peak RSS (1,000 configs)',
        unit: 'MB',
        better: 'lower',
        baselines: ['api_start_rss'],
      },
      {
        name: 'api_start_rss',
        label: 'API RSS after its first requests',
        unit: 'MB',
        better: 'lower',
      },
    ],

    async setup(ctx) {
      const { settings } = ctx;
      kafka = benchKafka(settings);
      topics = await createBenchTopics(kafka, settings, 'freshness', 6);
      db = await freshDatabase(settings.databaseUrl);
      redis = new Redis(settings.redisUrl);
      const group = `bench-${settings.runId}-freshness`;
      prefix = `ul-bench-${settings.runId}-freshness:`;
      env = serviceEnv(settings, topics, group, prefix);
      projector = new ProjectorProcess({ ...env, PROJECTOR_PORT: String(settings.projectorPort) });
      api = new ProjectorProcess(
        {
          ...env,
          RUN_PROJECTOR: '0',
          HOST: '127.0.0.1',
          PORT: String(settings.apiPort),
          GOVERNANCE_API_KEYS: 'bench-key',
        },
        'api',
      );
      projector.start();
      api.start();
      const fleet = buildFleet(CONFIGS);
      producer = createProducer(kafka);
      await producer.connect();
      await publishFleet(
        producer,
        topics.config,
        { ...fleet, configs: [...fleet.configs, PROBE_CONFIG] },
        BENCH_SOURCE,
      );
      await waitFor(
        'configs applied',
        async () => (await appliedRecords(db, `${group}.config`)) > fleet.configs.length,
        120_000,
      );
      counterKey = await requestCounterKey(db, PROBE_CONFIG.id);
      bare = await bareConsumer(
        kafka,
        topics.usage,
        (messages) => {
          for (const m of messages) {
            if (m.key?.equals(PROBE_KEY) && m.value)
              watch.kafka.observe(probeNumber(m.value) + 1, performance.now());
          }
        },
        false,
      );
      await load(ctx, settings.quick ? 2 : 4, 1); // warm-up: joins, JIT, connection pools
      await caughtUp(ctx).catch((e: Error) => {
        throw new Error(`${e.message}\nprojector log:\n${projector.log.slice(-4000)}`);
      });
      await waitFor(
        'API answers',
        () => listOnce(settings.apiPort, true).then((r) => r.ok),
        60_000,
        200,
      );
      await apiRequests(settings.apiPort, 4);
      apiStartRss = memoryMb(api.pid!).current;
    },

    async run(ctx, index) {
      for (const w of Object.values(watch)) w.reset();
      const pollers = [
        poll(redisCount, (v, at) => watch.redis.observe(v, at)),
        poll(pgCount, (v, at) => watch.pg.observe(v, at)),
      ];
      const seconds = ctx.settings.quick ? 3 : 15;
      const requests = apiRequests(ctx.settings.apiPort, seconds * 10);
      const rate = await load(ctx, seconds, index + 2);
      await caughtUp(ctx);
      await Promise.all(pollers.map((p) => p.stop()));
      await requests;
      const figures: Record<string, number> = { rate };
      for (const [name, w] of Object.entries(watch)) {
        figures[`${name}_p50`] = percentile(w.latencies, 50);
        figures[`${name}_p99`] = percentile(w.latencies, 99);
      }
      figures.projector_peak_rss = memoryMb(projector.pid!).peak;
      figures.api_peak_rss = memoryMb(api.pid!).peak;
      figures.api_start_rss = apiStartRss;
      return figures;
    },

    async teardown(ctx) {
      await bare?.disconnect();
      await producer?.disconnect();
      await Promise.all([projector?.stop(), api?.stop()]);
      await db?.end();
      redis?.disconnect();
      if (prefix) await deleteRedisPrefix(ctx.settings.redisUrl, prefix);
      if (topics) await deleteBenchTopics(kafka, topics);
    },
  };
}

function latency(name: string, label: string, baseline?: string, max?: number) {
  return {
    name,
    label,
    unit: 'ms',
    better: 'lower' as const,
    baselines: baseline ? [baseline] : [],
    targets: max ? [{ text: `<= ${max} ms`, max }] : [],
  };
}

function probeUsage(n: number, time: Date) {
  return {
    requestId: `probe-${n}`,
    provider: 'bench',
    model: 'bench-probe',
    virtualKeyId: null,
    userId: null,
    success: true,
    inputTokens: 1,
    outputTokens: 0,
    totalTokens: 1,
    cost: 0n,
    streaming: false,
    finalChunk: true,
    time,
  };
}

function probeNumber(value: Buffer): number {
  const envelope = JSON.parse(value.toString('utf8')) as { data: { request_id: string } };
  return Number(envelope.data.request_id.slice('probe-'.length));
}

async function requestCounterKey(db: Client, configId: string): Promise<string> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT l->>'counter_key' AS key FROM model_configs mc
       CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
      WHERE mc.id = $1 AND l->>'dimension' = 'requests'`,
    [configId],
  );
  if (!rows[0]) throw new Error(`config ${configId} has no request counter`);
  return rows[0].key;
}

/** The Redis key of the counter's one window (a year long: it does not roll over here). */
async function redisCounterKey(db: Client, prefix: string, counterKey: string): Promise<string> {
  const { rows } = await db.query<{ window_start: Date }>(
    'SELECT window_start FROM usage_counters WHERE counter_key = $1',
    [counterKey],
  );
  if (rows.length !== 1)
    throw new Error(`expected one window of ${counterKey}, got ${rows.length}`);
  return new RedisKeys(prefix, 1).counter(counterKey, rows[0].window_start.getTime());
}

/** `count` list requests at 10/s, alternating the Redis and the PostgreSQL path. */
async function apiRequests(port: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const started = Date.now();
    const response = await listOnce(port, i % 2 === 0);
    if (!response.ok) throw new Error(`API list request failed: ${response.status}`);
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
  }
}

function listOnce(
  port: number,
  fromMemory: boolean,
): Promise<{ ok: boolean; status: number | string }> {
  const url = `http://127.0.0.1:${port}/api/governance/model-configs?limit=25&from_memory=${fromMemory}`;
  return fetch(url, { headers: { authorization: 'Bearer bench-key' } })
    .then(async (r) => {
      await r.arrayBuffer();
      return { ok: r.ok, status: r.status };
    })
    .catch((e: Error) => ({ ok: false, status: e.message }));
}
