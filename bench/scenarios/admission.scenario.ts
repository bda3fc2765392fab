/**
 * Gateway admission: one compiled API process (the projector in its own process) with 1,000
 * configs in Redis.
 *
 * 1. Throughput: 50 keep-alive connections in a closed loop -> admissions/s. Baseline: a bare
 *    Node HTTP server that parses the same body and answers JSON, driven the same way.
 * 2. Latency: a fixed 1,000 admissions/s (open loop, latency from the scheduled send) -> p50/p99,
 *    against the bare server at the same rate.
 * 3. Exactness: 500 concurrent admissions against a budget with room for exactly 50 estimates
 *    (over-admission = admitted - 50), then the 50 usage events with cost = estimate through
 *    Kafka (overshoot = committed - max_limit in PostgreSQL, floored at 0).
 */
import {
  encodeStructured,
  modelConfigUpsertedEnvelope,
  usageRecordedEnvelope,
} from '@app/contracts';
import { ModelConfigDefinition, parseDollars } from '@app/governance';
import { createProducer } from '@app/kafka';
import { randomUUID } from 'crypto';
import { Agent } from 'http';
import { RedisKeys } from '@app/ledger';
import Redis from 'ioredis';
import { Kafka, Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  fleetAdmission,
  fleetConfig,
  fleetConfigs,
  FLEET_MODELS,
  FLEET_USERS,
} from '../admission/admission-fleet';
import { call, closedLoop, fixedRate, LoadResult, Target } from '../admission/load';
import { NodeProcess, waitFor } from '../admission/processes';
import { BenchContext, BenchSettings, Scenario } from '../runner/scenario';
import { freshDatabase } from '../support/bench-database';
import {
  benchKafka,
  BenchTopics,
  createBenchTopics,
  deleteBenchTopics,
  deleteRedisPrefix,
} from '../support/bench-topics';
import { cpuMs, ProjectorProcess, redisCpuMs, serviceEnv } from '../support/service-process';

const CONFIGS = 1 + FLEET_MODELS + FLEET_USERS;
const CONNECTIONS = 50;
const RATE = 1000;
const RACERS = 500;
const ROOM = 50;
const ESTIMATE = '0.10';
const API_KEY = 'bench-key';

export function admissionScenario(): Scenario {
  let kafka: Kafka;
  let producer: Producer;
  let db: Client;
  let redis: Redis;
  let projector: ProjectorProcess;
  let api: ProjectorProcess;
  let bare: NodeProcess;
  let barePort = 0;
  let prefix = '';
  let topics: BenchTopics;
  const seconds = (quick: boolean) => (quick ? 3 : 10);

  /** 500 racers for room of 50 estimates, then settle them with exact usage through Kafka. */
  async function race(s: BenchSettings, index: number) {
    const model = `race-${index}`;
    const config = raceConfig(model);
    await producer.send({
      topic: topics.config,
      messages: [
        encodeStructured(
          modelConfigUpsertedEnvelope(config, {
            source: 'bench',
            id: randomUUID(),
            time: new Date(),
          }),
          config.id,
        ),
      ],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const racer = (id: string, estimate = ESTIMATE) => ({
      port: s.apiPort,
      path: '/api/governance/admissions',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: () =>
        JSON.stringify({ request_id: id, provider: 'bench', model, estimated_cost: estimate }),
    });
    // The probe holds nothing (no estimate), so all the room is left for the racers.
    await waitFor('the race config in the API', async () => {
      const { json } = await call(racer(`probe-${randomUUID()}`, '0'), agent);
      return Array.isArray(json.limits) && json.limits.length === 2;
    });
    const ids = Array.from({ length: RACERS }, (_, i) => `race-${index}-${i}-${randomUUID()}`);
    const answers = await Promise.all(ids.map((id) => call(racer(id), agent)));
    const admitted = ids.filter((_, i) => answers[i].json.allowed === true);
    agent.destroy();
    const cost = parseDollars(ESTIMATE) as bigint;
    await producer.send({
      topic: topics.usage,
      messages: admitted.map((requestId) =>
        encodeStructured(
          usageRecordedEnvelope(
            {
              requestId,
              provider: 'bench',
              model,
              virtualKeyId: null,
              userId: null,
              success: true,
              inputTokens: 10,
              outputTokens: 10,
              totalTokens: 20,
              cost,
              streaming: false,
              finalChunk: true,
              time: new Date(),
            },
            { source: 'bench', id: randomUUID() },
          ),
          requestId,
        ),
      ),
    });
    const committed = await waitFor(
      'the race usage in PostgreSQL',
      async () => {
        const total = await budgetUsage(db, config.id);
        return total === cost * BigInt(admitted.length) ? total : 0n;
      },
      120_000,
    );
    const over = committed - config.budgets[0].maxLimit;
    return {
      over_admitted: Math.max(0, admitted.length - ROOM),
      under_admitted: Math.max(0, ROOM - admitted.length),
      overshoot_usd: over > 0n ? Number(over) / 1e9 : 0,
    };
  }

  return {
    name: 'admission',
    title: 'Gateway admission (POST /api/governance/admissions), one API process, 1,000 configs',
    notes:
      'Load generator, API, projector, Redis and PostgreSQL share the machine; compare ratios. ' +
      'Baseline: a bare Node HTTP server parsing the same body.',
    runs: (quick: boolean) => (quick ? 1 : 3),
    figures: [
      {
        name: 'admissions_per_s',
        label: `admissions/s at ${CONNECTIONS} connections`,
        unit: '/s',
        better: 'higher' as const,
        baselines: ['bare_per_s'],
        targets: [{ text: '>= 5,000 admissions/s', min: 5000 }],
      },
      { name: 'bare_per_s', label: 'bare Node HTTP server', unit: '/s', better: 'higher' as const },
      {
        name: 'api_cpu_us',
        label: `API process CPU per admission at ${CONNECTIONS} connections`,
        unit: 'µs',
        better: 'lower' as const,
        baselines: ['bare_cpu_us'],
      },
      {
        name: 'redis_cpu_us',
        label: `Redis CPU per admission at ${CONNECTIONS} connections (the whole server)`,
        unit: 'µs',
        better: 'lower' as const,
      },
      {
        name: 'bare_cpu_us',
        label: 'bare Node HTTP server CPU per request',
        unit: 'µs',
        better: 'lower' as const,
      },
      {
        name: 'p99_ms',
        label: `p99 at ${RATE} admissions/s`,
        unit: 'ms',
        better: 'lower' as const,
        baselines: ['bare_p99_ms'],
        targets: [{ text: 'p99 <= 5 ms', max: 5 }],
      },
      {
        name: 'p50_ms',
        label: `p50 at ${RATE} admissions/s`,
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        name: 'bare_p99_ms',
        label: `bare server p99 at ${RATE}/s`,
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        name: 'failed',
        label: 'admissions answered other than 200 (throughput and latency phases)',
        unit: '',
        better: 'lower' as const,
        targets: [{ text: '0', max: 0 }],
      },
      {
        name: 'over_admitted',
        label: `admitted beyond room (${RACERS} racers, room ${ROOM})`,
        unit: '',
        better: 'lower' as const,
        targets: [{ text: '0', max: 0 }],
      },
      {
        name: 'under_admitted',
        label: `refused although room was left (${RACERS} racers, room ${ROOM})`,
        unit: '',
        better: 'lower' as const,
        targets: [{ text: '0', max: 0 }],
      },
      {
        name: 'overshoot_usd',
        label: 'committed above max_limit, exact estimates',
        unit: 'USD',
        better: 'lower' as const,
        targets: [{ text: '0', max: 0 }],
      },
    ],

    async setup(ctx: BenchContext): Promise<void> {
      const s = ctx.settings;
      prefix = `ul-bench-${s.runId}-admission:`;
      kafka = benchKafka(s);
      topics = await createBenchTopics(kafka, s, 'admission', 2);
      db = await freshDatabase(s.databaseUrl);
      redis = new Redis(s.redisUrl);
      const env = serviceEnv(s, topics, `bench-${s.runId}-admission`, prefix, {
        GOVERNANCE_API_KEYS: API_KEY,
      });
      projector = new ProjectorProcess({ ...env, PROJECTOR_PORT: String(s.projectorPort) });
      projector.start();
      producer = createProducer(kafka);
      await producer.connect();
      await producer.send({
        topic: topics.config,
        messages: fleetConfigs().map((c) =>
          encodeStructured(
            modelConfigUpsertedEnvelope(c, { source: 'bench', id: randomUUID(), time: new Date() }),
            c.id,
          ),
        ),
      });
      const configsKey = new RedisKeys(prefix, 1).configs;
      await waitFor(
        '1,000 configs in Redis',
        async () => (await redis.hlen(configsKey)) >= CONFIGS,
        120_000,
      );
      api = new ProjectorProcess(
        { ...env, RUN_PROJECTOR: '0', PORT: String(s.apiPort), HOST: '127.0.0.1' },
        'api',
      );
      api.start();
      const probe = admissionTarget(s.apiPort, () => 0);
      const agent = new Agent({ keepAlive: true });
      await waitFor('the API', async () => {
        const { json } = await call(probe, agent);
        return Array.isArray(json.limits) && json.limits.length > 0;
      });
      agent.destroy();
      [bare, barePort] = await NodeProcess.bareServer();
      ctx.log('admission bench ready', { configs: CONFIGS, prefix });
    },

    async run(ctx: BenchContext, index: number): Promise<Record<string, number>> {
      const s = ctx.settings;
      let n = 0;
      const target = admissionTarget(s.apiPort, () => n++);
      const baseline = admissionTarget(barePort, () => n++);
      const secs = seconds(s.quick);
      // Warm both (JIT, connections) before measuring.
      await closedLoop(target, CONNECTIONS, 1);
      await closedLoop(baseline, CONNECTIONS, 1);
      const apiCpu = cpuMs(api.pid!);
      const redisCpu = await redisCpuMs(redis);
      const throughput = await closedLoop(target, CONNECTIONS, secs);
      const apiCpuUs = ((cpuMs(api.pid!) - apiCpu) * 1000) / throughput.requests;
      const redisCpuUs = (((await redisCpuMs(redis)) - redisCpu) * 1000) / throughput.requests;
      const bareCpu = cpuMs(bare.pid);
      const bareThroughput = await closedLoop(baseline, CONNECTIONS, secs);
      const bareCpuUs = ((cpuMs(bare.pid) - bareCpu) * 1000) / bareThroughput.requests;
      const latency = await fixedRate(target, RATE, secs);
      const bareLatency = await fixedRate(baseline, RATE, secs);
      const exact = await race(s, index);
      const figures = {
        admissions_per_s: Math.round(throughput.perSecond),
        bare_per_s: Math.round(bareThroughput.perSecond),
        api_cpu_us: Math.round(apiCpuUs),
        redis_cpu_us: Math.round(redisCpuUs),
        bare_cpu_us: Math.round(bareCpuUs),
        p99_ms: round(latency.p99),
        p50_ms: round(latency.p50),
        bare_p99_ms: round(bareLatency.p99),
        // Non-200 answers under load (e.g. 503 past DEPENDENCY_TIMEOUT on a saturated machine).
        failed: throughput.errors + latency.errors,
        ...exact,
      };
      ctx.log('admission run', { index, ...figures, detail: describe({ throughput, latency }) });
      return figures;
    },

    async teardown(ctx: BenchContext): Promise<void> {
      await api?.stop();
      await bare?.stop();
      await projector?.stop();
      await producer?.disconnect();
      redis?.disconnect();
      await db?.end();
      await deleteRedisPrefix(ctx.settings.redisUrl, prefix);
      if (kafka && topics) await deleteBenchTopics(kafka, topics);
    },
  };
}

function admissionTarget(port: number, next: () => number): Target {
  return {
    port,
    path: '/api/governance/admissions',
    headers: { authorization: `Bearer ${API_KEY}` },
    body: () => {
      const i = next();
      return fleetAdmission(`bench-${i}-${Math.random().toString(36).slice(2)}`, i);
    },
  };
}

function raceConfig(model: string): ModelConfigDefinition {
  const room = (parseDollars(ESTIMATE) as bigint) * BigInt(ROOM);
  return fleetConfig(`bench-${model}`, {
    modelName: model,
    budgets: [{ id: 'race', maxLimit: room, resetDuration: '1d' }],
    // A fresh anchor: no window boundary during the race.
    createdAt: new Date(Date.now() - 60_000),
  });
}

async function budgetUsage(db: Client, configId: string): Promise<bigint> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT coalesce(sum(c.value), 0) AS total FROM model_configs mc
       CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
       JOIN usage_counters c ON c.counter_key = l->>'counter_key'
      WHERE mc.id = $1 AND l->>'dimension' = 'cost'`,
    [configId],
  );
  return BigInt(rows[0].total);
}

const round = (ms: number): number => Number(ms.toFixed(2));
const describe = (r: Record<string, LoadResult>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { ...v, seconds: round(v.seconds) }]));
