/**
 * Paired A/B of two API builds (or node flags) on the admission route, for a shared, noisy
 * machine: both APIs run side by side on the same Redis and configs, and short closed-loop
 * batches alternate between them, so both sides of each pair see the same minute's load.
 *
 *   AB_A=/path/to/clone-a AB_B=/path/to/clone-b [AB_A_FLAGS=..] [AB_B_FLAGS=..] \
 *     npx ts-node --transpile-only -r tsconfig-paths/register bench/admission/ab-compare.ts
 *
 * Each clone must be built (dist/). Prints CPU per admission of each API and of Redis (the
 * whole server: use a Redis of your own), the rate and the p99, per batch, and the paired
 * ratios B/A. AB_RATE=1000 sends open-loop batches at that rate instead of 50 connections.
 */
import { encodeStructured, modelConfigUpsertedEnvelope } from '@app/contracts';
import { createProducer } from '@app/kafka';
import { RedisKeys } from '@app/ledger';
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { Agent } from 'http';
import Redis from 'ioredis';
import { join } from 'path';
import { fleetAdmission, fleetConfigs } from './admission-fleet';
import { call, closedLoop, fixedRate, Target } from './load';
import { waitFor } from './processes';
import { freshDatabase } from '../support/bench-database';
import {
  benchKafka,
  createBenchTopics,
  deleteBenchTopics,
  deleteRedisPrefix,
} from '../support/bench-topics';
import { cpuMs, ProjectorProcess, redisCpuMs, serviceEnv } from '../support/service-process';

const API_KEY = 'bench-key';
const ROUNDS = Number(process.env.AB_ROUNDS ?? 8);
const SECONDS = Number(process.env.AB_SECONDS ?? 3);
// AB_RATE=1000: open-loop batches at that rate instead (p99 per batch)
const RATE = Number(process.env.AB_RATE ?? 0);

function startApi(dir: string, flags: string, env: Record<string, string>) {
  const args = [
    ...flags.split(' ').filter(Boolean),
    '-r',
    join(dir, 'scripts', 'register-paths.js'),
    join(dir, 'dist', 'apps', 'api', 'src', 'main.js'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

function target(port: number): Target {
  let i = 0;
  return {
    port,
    path: '/api/governance/admissions',
    headers: { authorization: `Bearer ${API_KEY}` },
    body: () => {
      i += 1;
      return fleetAdmission(`ab-${port}-${i}-${Math.random().toString(36).slice(2)}`, i);
    },
  };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function main() {
  const runId = randomUUID().slice(0, 8);
  const s = {
    quick: false,
    runId,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    databaseUrl: process.env.BENCH_DATABASE_URL ?? '',
    redisUrl: process.env.BENCH_REDIS_URL ?? '',
    apiPort: Number(process.env.BENCH_API_PORT),
    projectorPort: Number(process.env.BENCH_PROJECTOR_PORT),
  };
  const prefix = `ul-ab-${runId}:`;
  const kafka = benchKafka(s);
  const topics = await createBenchTopics(kafka, s, 'ab', 2);
  const db = await freshDatabase(s.databaseUrl);
  const redis = new Redis(s.redisUrl);
  const env = serviceEnv(s, topics, `ab-${runId}`, prefix, { GOVERNANCE_API_KEYS: API_KEY });
  const projector = new ProjectorProcess({ ...env, PROJECTOR_PORT: String(s.projectorPort) });
  projector.start();
  const producer = createProducer(kafka);
  const sides = [
    { name: 'A', dir: process.env.AB_A!, flags: process.env.AB_A_FLAGS ?? '', port: s.apiPort },
    {
      name: 'B',
      dir: process.env.AB_B!,
      flags: process.env.AB_B_FLAGS ?? '',
      port: s.projectorPort + 2,
    },
  ];
  const apis = sides.map((side) =>
    startApi(side.dir, side.flags, { ...env, RUN_PROJECTOR: '0', PORT: String(side.port) }),
  );
  try {
    await producer.connect();
    await producer.send({
      topic: topics.config,
      messages: fleetConfigs().map((c) =>
        encodeStructured(
          modelConfigUpsertedEnvelope(c, { source: 'ab', id: randomUUID(), time: new Date() }),
          c.id,
        ),
      ),
    });
    const configsKey = new RedisKeys(prefix, 1).configs;
    await waitFor('configs', async () => (await redis.hlen(configsKey)) >= 1000, 120_000);
    for (const side of sides) {
      const agent = new Agent({ keepAlive: true });
      await waitFor(`API ${side.name}`, async () => {
        const { json } = await call(target(side.port), agent);
        return Array.isArray(json.limits) && json.limits.length > 0;
      });
      agent.destroy();
      await closedLoop(target(side.port), 50, 2); // warm
    }
    const api: Record<string, number[]> = { A: [], B: [] };
    const rds: Record<string, number[]> = { A: [], B: [] };
    const rate: Record<string, number[]> = { A: [], B: [] };
    const p99: Record<string, number[]> = { A: [], B: [] };
    for (let r = 0; r < ROUNDS; r += 1) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const side = sides[i];
        const pid = apis[i].pid!;
        const [c0, r0] = [cpuMs(pid), await redisCpuMs(redis)];
        const result =
          RATE > 0
            ? await fixedRate(target(side.port), RATE, SECONDS)
            : await closedLoop(target(side.port), 50, SECONDS);
        p99[side.name].push(result.p99);
        api[side.name].push(((cpuMs(pid) - c0) * 1000) / result.requests);
        rds[side.name].push((((await redisCpuMs(redis)) - r0) * 1000) / result.requests);
        rate[side.name].push(result.perSecond);
        if (result.errors > 0) console.log(`side ${side.name}: ${result.errors} errors`);
      }
      console.log(
        `round ${r + 1}: A api ${api.A[r].toFixed(0)} redis ${rds.A[r].toFixed(0)} ${rate.A[r].toFixed(0)}/s p99 ${p99.A[r].toFixed(1)} ms | ` +
          `B api ${api.B[r].toFixed(0)} redis ${rds.B[r].toFixed(0)} ${rate.B[r].toFixed(0)}/s p99 ${p99.B[r].toFixed(1)} ms`,
      );
    }
    const ratio = (m: Record<string, number[]>) => median(m.B.map((b, i) => b / m.A[i]));
    console.log(
      JSON.stringify({
        a: sides[0].dir + ' ' + sides[0].flags,
        b: sides[1].dir + ' ' + sides[1].flags,
        api_us: { A: median(api.A), B: median(api.B), paired_ratio_b_a: ratio(api) },
        redis_us: { A: median(rds.A), B: median(rds.B), paired_ratio_b_a: ratio(rds) },
        per_s: { A: median(rate.A), B: median(rate.B), paired_ratio_b_a: ratio(rate) },
        p99_ms: { A: median(p99.A), B: median(p99.B), paired_ratio_b_a: ratio(p99) },
      }),
    );
  } finally {
    for (const child of apis) child.kill('SIGTERM');
    await projector.stop();
    await producer.disconnect();
    redis.disconnect();
    await db.end();
    await deleteRedisPrefix(s.redisUrl, prefix);
    await deleteBenchTopics(kafka, topics);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
