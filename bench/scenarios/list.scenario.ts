import { createDataSource } from '@app/database';
import {
  BatchApplier,
  ReadModelVersion,
  RedisProjectionWriter,
  VersionRegistry,
} from '@app/ledger';
import { mkdtempSync, writeFileSync } from 'fs';
import Redis from 'ioredis';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { NodeProcess, waitFor } from '../admission/processes';
import { openLoopGet, throughput, body, status } from '../list/http-load';
import { seedConfigs } from '../list/seed-configs';
import { FigureSpec, Scenario } from '../runner/scenario';
import { freshDatabase } from '../support/bench-database';
import { deleteRedisPrefix } from '../support/bench-topics';
import { memoryMb, ProjectorProcess } from '../support/service-process';

const RATE = 1000;
const CONNECTIONS = 50;
const HEADERS = { authorization: 'Bearer bench-key' };
const PATHS = { pg: 'false', redis: 'true' } as const;
type PathName = keyof typeof PATHS;

const sizesOf = (quick: boolean) => (quick ? [100, 1000] : [100, 10_000, 100_000]);
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

/**
 * The list endpoint, a 25-row page (`limit=25&offset=50`, no filter) on both read paths, at
 * 100, 10,000 and 100,000 configs in one run: p50/p99 at a fixed offered 1,000 requests/s
 * (open loop), requests/s at 50 connections against a bare Node server answering the same
 * page's bytes (measured right after, at each size), and the API's RSS at the largest size.
 */
export function listScenario(): Scenario {
  let db: DataSource;
  let redis: Redis;
  let api: ProjectorProcess | null = null;
  let prefix = '';
  let tmp = '';

  const figures = (quick: boolean): FigureSpec[] => {
    const sizes = sizesOf(quick);
    const first = label(sizes[0]);
    const last = label(sizes[sizes.length - 1]);
    const specs: FigureSpec[] = [];
    for (const size of sizes.map(label)) {
      for (const path of Object.keys(PATHS) as PathName[]) {
        const p99Target = size === '10k' ? 10 : size === '100k' ? 15 : undefined;
        specs.push(
          {
            name: `${path}_p50_${size}`,
            label: `${path} p50 @${size}`,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${path}_p99_${size}`,
            label: `${path} p99 @${size}`,
            unit: 'ms',
            better: 'lower',
            targets: p99Target ? [{ text: `<= ${p99Target} ms`, max: p99Target }] : undefined,
          },
          {
            name: `${path}_rps_${size}`,
            label: `${path} req/s, ${CONNECTIONS} connections @${size}`,
            unit: 'req/s',
            better: 'higher',
            baselines: [`bare_rps_${size}`],
            targets:
              path === 'redis'
                ? [{ text: '>= 50% of bare', baseline: `bare_rps_${size}`, min: 0.5 }]
                : undefined,
          },
        );
      }
      for (const path of Object.keys(PATHS) as PathName[]) {
        specs.push({
          name: `${path}_errors_${size}`,
          label: `${path} non-200 answers @${size}`,
          unit: 'requests',
          better: 'lower',
          targets: [{ text: 'none', max: 0 }],
        });
      }
      specs.push({
        name: `bare_rps_${size}`,
        label: `bare Node server, same body @${size}`,
        unit: 'req/s',
        better: 'higher',
      });
    }
    for (const path of Object.keys(PATHS) as PathName[]) {
      specs.push({
        name: `${path}_cost_growth`,
        label: `${path}: cost of a page @${last} / @${first} (req/s @${first} / @${last})`,
        unit: 'x',
        better: 'lower',
        targets: [{ text: '<= 2x', max: 2 }],
      });
    }
    specs.push({
      name: 'api_rss',
      label: `API RSS @${last}`,
      unit: 'MB',
      better: 'lower',
      targets: [{ text: '<= 200 MB', max: 200 }],
    });
    return specs;
  };

  const scenario: Scenario = {
    name: 'list',
    title: 'List model configs: a 25-row page at 100 / 10k / 100k configs, PostgreSQL and Redis',
    notes:
      'Configs are seeded through the batch applier and the Redis writer (no Kafka round trips). ' +
      'Latency: open loop at 1,000 req/s, from the scheduled send time. Throughput: autocannon, ' +
      '50 connections; baseline a bare Node server returning the same page bytes.',
    runs: () => 1,
    figures: figures(false),

    async setup(ctx) {
      const { settings } = ctx;
      scenario.figures = figures(settings.quick);
      prefix = `bench-${settings.runId}-list:`;
      await (await freshDatabase(settings.databaseUrl)).end();
      db = await createDataSource({
        url: settings.databaseUrl,
        poolSize: 2,
        applicationName: 'bench-list',
      }).initialize();
      redis = new Redis(settings.redisUrl);
      tmp = mkdtempSync(join(tmpdir(), 'bench-list-'));
    },

    async run(ctx) {
      const { settings, log } = ctx;
      const version = new ReadModelVersion(1, prefix);
      const applier = new BatchApplier(db, new VersionRegistry(db, prefix), async () => undefined);
      const writer = new RedisProjectionWriter(redis, version);
      const seconds = settings.quick ? 1 : 5;
      const out: Record<string, number> = {};
      let seeded = 0;
      for (const size of sizesOf(settings.quick)) {
        const started = performance.now();
        await seedConfigs(applier, writer, seeded, size);
        seeded = size;
        log('list: seeded', { configs: size, seconds: (performance.now() - started) / 1000 });
        api ??= await startApi(settings, prefix);
        const url = (path: PathName) =>
          `http://127.0.0.1:${settings.apiPort}/api/governance/model-configs?limit=25&offset=50&from_memory=${PATHS[path]}`;
        // What the API holds with this many configs, before any load piles requests up.
        for (let i = 0; i < 50; i += 1) await body(url(i % 2 ? 'pg' : 'redis'), HEADERS);
        out.api_rss = memoryMb(api.pid!).current;
        for (const path of Object.keys(PATHS) as PathName[]) {
          await openLoopGet(url(path), HEADERS, RATE, 1); // warm-up
          const latency = await openLoopGet(url(path), HEADERS, RATE, seconds);
          const load = await throughput(url(path), HEADERS, CONNECTIONS, seconds);
          // Answers other than 200 (a 503 once a request waited past DEPENDENCY_TIMEOUT in an
          // overloaded process) are counted, not hidden: the latency includes them.
          out[`${path}_errors_${label(size)}`] = latency.errors + load.errors;
          out[`${path}_p50_${label(size)}`] = latency.p50;
          out[`${path}_p99_${label(size)}`] = latency.p99;
          out[`${path}_rps_${label(size)}`] = load.perSecond;
        }
        out[`bare_rps_${label(size)}`] = await bareThroughput(url('redis'), tmp, seconds);
      }
      const sizes = sizesOf(settings.quick).map(label);
      for (const path of Object.keys(PATHS) as PathName[]) {
        out[`${path}_cost_growth`] =
          out[`${path}_rps_${sizes[0]}`] / out[`${path}_rps_${sizes[sizes.length - 1]}`];
      }
      out.api_peak_rss = memoryMb(api!.pid!).peak;
      return out;
    },

    async teardown(ctx) {
      await api?.stop();
      api = null;
      await db?.destroy();
      redis?.disconnect();
      if (prefix) await deleteRedisPrefix(ctx.settings.redisUrl, prefix);
    },
  };
  return scenario;
}

async function startApi(
  settings: { databaseUrl: string; redisUrl: string; apiPort: number; brokers: string[] },
  prefix: string,
): Promise<ProjectorProcess> {
  const api = new ProjectorProcess(
    {
      NODE_ENV: 'production',
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_KEY_PREFIX: prefix,
      KAFKA_BROKERS: settings.brokers.join(','),
      RUN_PROJECTOR: '0',
      HOST: '127.0.0.1',
      PORT: String(settings.apiPort),
      GOVERNANCE_API_KEYS: 'bench-key',
      DEMO_DATA: '0',
    },
    'api',
  );
  api.start();
  const health = `http://127.0.0.1:${settings.apiPort}/health`;
  await waitFor('the API', async () => (await status(health, {})) === 200);
  return api;
}

/** The bare server answering the very bytes of the page the API just served. */
async function bareThroughput(pageUrl: string, dir: string, seconds: number): Promise<number> {
  const file = join(dir, 'page.json');
  writeFileSync(file, await body(pageUrl, HEADERS));
  const bare = new NodeProcess(
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, '..', 'list', 'bare-body-server.ts'),
      file,
    ],
    {},
  );
  try {
    const port = await waitFor('the bare server', async () => Number(bare.log.trim()) || 0);
    return (await throughput(`http://127.0.0.1:${port}/`, {}, CONNECTIONS, seconds)).perSecond;
  } finally {
    await bare.stop();
  }
}
