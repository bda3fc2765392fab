import { RunningApi, startApi } from '../support/api-harness';
import { AppConfig } from '@app/config';
import { RECONNECT_MAX_MS } from '@app/redis';
import {
  allApplied,
  deadLetterCount,
  recordFigures,
  storedUsage,
  UsageStream,
} from '../support/fault-reference';
import { faultStream, streamUnderWay } from '../support/fault-stream';
import { KafkaTestClient } from '../support/kafka-test-client';
import { listing, memoryPathHealed } from '../support/memory-listing';
import { PrivateBroker } from '../support/private-broker';
import { PrivateRedis } from '../support/private-redis';
import { ProjectorProcess } from '../support/projector-process';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

/**
 * The fault suite: real broker, PostgreSQL and Redis; the counters are compared with a
 * reference computed from the produced events alone. Each scenario writes its figures to
 * bench/results/faults/<scenario>.json (the README's Reliability section quotes them).
 */
async function expectExact(
  suite: WriteSideSuite,
  configId: string,
  stream: UsageStream,
  scenario: string,
  faultsInjected: number,
): Promise<void> {
  const { reference, at } = stream;
  const requests = await suite.usageInPostgres(configId, 'rl-1', 'requests', at);
  const deadLetters = await deadLetterCount(suite.db);
  recordFigures({
    scenario,
    faultsInjected,
    eventsProduced: reference.events,
    eventsCounted: Number(requests),
    duplicates: Math.max(0, Number(requests) - reference.events),
    deadLetters,
  });
  expect(await storedUsage(suite.db)).toBe(reference.events);
  expect(requests).toBe(reference.requests);
  expect(await suite.usageInPostgres(configId, 'rl-1', 'tokens', at)).toBe(reference.tokens);
  expect(await suite.usageInPostgres(configId, 'b-day', 'cost', at)).toBe(reference.costNanos);
  expect(deadLetters).toBe(0);
  await waitFor(
    'Redis to agree',
    async () => (await suite.usageInRedis(configId, 'rl-1', 'requests', at)) === reference.requests,
    30_000,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The projector's "batch failed; retrying" log lines: each names the wait before the next. */
function retriesLogged(log: string): { partition: number; retryInMs: number }[] {
  return log
    .split('\n')
    .filter((line) => line.includes('batch failed; retrying'))
    .map((line) => JSON.parse(line) as { partition: number; retryInMs: number });
}

describe('faults: the projector SIGKILLed 10 times in one stream', () => {
  const KILLS = 10;
  const CHUNK = 1_500;
  const suite = new WriteSideSuite('fault-kills', 3);
  let projector: ProjectorProcess;

  beforeAll(async () => {
    await suite.setUp(false);
    projector = new ProjectorProcess(suite.env);
  });
  afterAll(async () => {
    await projector.kill();
    await suite.tearDown();
  });

  it('ends with exact counters', async () => {
    const { config, stream } = await faultStream(suite, 'fault-kills');
    projector.start();
    for (let kill = 0; kill < KILLS; kill += 1) {
      const base = await storedUsage(suite.db);
      await stream.produce(CHUNK);
      if (!projector.running) projector.start();
      // A random point of the chunk: some batches committed, others in flight.
      const point = base + Math.floor(CHUNK * (0.1 + Math.random() * 0.8));
      await waitFor(
        'the projector past a random point',
        async () => (await storedUsage(suite.db)) >= point,
        90_000,
        5,
      ).catch((error: Error) => {
        // Once seen in a full run on a loaded machine: say what the projector was doing.
        const tail = projector.log.trim().split('\n').slice(-30).join('\n');
        throw new Error(`kill ${kill}: ${error.message}; projector log (last 30 lines):\n${tail}`);
      });
      await projector.kill();
    }
    projector.start();
    await allApplied(suite.db, stream);
    await expectExact(suite, config.id, stream, 'sigkill', KILLS);
  }, 240_000);
});

describe('faults: rebalances (a third projector joins, one leaves) mid-stream', () => {
  const suite = new WriteSideSuite('fault-rebalance', 4);
  const projectors = [0, 1, 2].map(() => new ProjectorProcess(suite.env));

  beforeAll(() => suite.setUp(false));
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.kill()));
    await suite.tearDown();
  });

  it('ends with exact counters and no batch applied twice', async () => {
    const { config, stream } = await faultStream(suite, 'fault-rebalance');
    const [first, second, third] = projectors;
    first.start();
    second.start();
    const producing = (async () => {
      for (let i = 0; i < 24; i += 1) {
        await stream.produce(500);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await waitFor(
      'a third of the stream applied',
      async () => (await storedUsage(suite.db)) >= 3_000,
      90_000,
    );
    third.start();
    await waitFor(
      'two thirds of the stream applied',
      async () => (await storedUsage(suite.db)) >= 7_000,
      90_000,
    );
    await first.stop();
    await producing;
    await allApplied(suite.db, stream);
    await expectExact(suite, config.id, stream, 'rebalance', 2);
  });
});

async function readyWithoutLag(projector: ProjectorProcess): Promise<boolean> {
  const base = `http://127.0.0.1:${projector.port}`;
  if ((await fetch(`${base}/health/ready`)).status !== 200) return false;
  const lags = (await (await fetch(`${base}/metrics`)).text())
    .split('\n')
    .filter((line) => line.startsWith('usage_ledger_projector_lag_messages{'));
  return lags.length > 0 && lags.every((line) => line.trim().endsWith(' 0'));
}

describe('faults: the Kafka broker stopped and restarted mid-stream', () => {
  const broker = new PrivateBroker();
  const suite = new WriteSideSuite('fault-broker', 2);
  let kafka: KafkaTestClient;
  let projector: ProjectorProcess;

  beforeAll(async () => {
    await broker.create();
    kafka = new KafkaTestClient(broker.brokers);
    suite.kafka = kafka;
    await suite.setUp(false);
    projector = new ProjectorProcess({ ...suite.env, KAFKA_BROKERS: broker.brokers });
  }, 180_000);
  afterAll(async () => {
    await projector.kill();
    await suite.tearDown();
    await broker.destroy();
  });

  it('reconnects by itself and ends with exact counters', async () => {
    const { config, stream } = await streamUnderWay(suite, projector, 'fault-broker', 3_000);
    await broker.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.start();
    await stream.produce(3_000);
    await allApplied(suite.db, stream, 180_000).catch((error: Error) => {
      // Seen twice in full runs (a stall after the restart, cause open in issue 10): say what
      // the projector was doing.
      const tail = projector.log.trim().split('\n').slice(-40).join('\n');
      throw new Error(`${error.message}; projector log (last 40 lines):\n${tail}`);
    });
    expect(projector.running).toBe(true);
    await expectExact(suite, config.id, stream, 'broker-restart', 1);
    // What operators watch says so too: ready again, and no lag left on any partition.
    await waitFor(
      'ready again with no lag on any partition',
      () => readyWithoutLag(projector),
      20_000,
    );
  }, 240_000);
});

describe('faults: PostgreSQL connections terminated and refused for 10 s mid-stream', () => {
  const OUTAGE_MS = 10_000;
  const suite = new WriteSideSuite('fault-postgres', 2);
  // The projector and the API reach PostgreSQL through the proxy (refusing while stopped); the
  // test reads it directly. Their own application names let the test terminate their backends.
  const proxy = TcpProxy.for(TEST_ENV.DATABASE_URL);
  const names = { projector: 'fault-pg-projector', api: 'fault-pg-api' };
  let projector: ProjectorProcess;
  let api: RunningApi;

  beforeAll(async () => {
    await proxy.start();
    await suite.setUp(false);
    const viaProxy = { DATABASE_URL: proxy.withProxy(TEST_ENV.DATABASE_URL) };
    projector = new ProjectorProcess({
      ...suite.env,
      ...viaProxy,
      KAFKA_CLIENT_ID: names.projector,
    });
    api = await startApi({
      ...suite.env,
      ...viaProxy,
      KAFKA_CLIENT_ID: names.api,
      DEPENDENCY_TIMEOUT: '1s',
    });
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await projector.kill();
    await api?.close();
    await suite.tearDown();
    await proxy.stop();
  });

  it('pauses with backoff, answers 503 on the PostgreSQL path only, ends exact', async () => {
    const { config, stream } = await streamUnderWay(suite, projector, 'fault-postgres', 4_000);
    await waitFor('the config on both read paths', async () => {
      const [pg, memory] = await Promise.all([listing(api, false), listing(api, true)]);
      return pg.body.total_count === 1 && memory.body.total_count === 1;
    });

    // Every open connection of the projector and the API terminated by the server, and every
    // new one refused, for OUTAGE_MS.
    const cutAt = Date.now();
    const terminated: { application_name: string }[] = await suite.db.query(
      `SELECT application_name, pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ANY($1)`,
      [Object.values(names)],
    );
    await proxy.stop();
    expect(new Set(terminated.map((b) => b.application_name))).toEqual(
      new Set(Object.values(names)),
    );
    const retriesBefore = retriesLogged(projector.log).length;
    await stream.produce(2_000);
    await sleep(1_000); // a commit already on its way when the connection died has landed
    const storedAtCut = await storedUsage(suite.db);

    const inMemory = await listing(api, true);
    expect(inMemory.status).toBe(200);
    expect(inMemory.body.total_count).toBe(1);
    while (Date.now() - cutAt < OUTAGE_MS - 1_000) {
      const [pg, memory] = await Promise.all([listing(api, false), listing(api, true)]);
      expect(pg.status).toBe(503);
      expect(pg.body).toMatchObject({
        is_bifrost_error: false,
        status_code: 503,
        error: { message: expect.stringMatching(/^PostgreSQL is unavailable/) },
      });
      expect(memory.status).toBe(200);
      expect(memory.headers['x-data-source']).toBe('redis');
      expect(memory.body).toEqual(inMemory.body); // nothing applied, so nothing changed
      await sleep(500);
    }
    expect(await storedUsage(suite.db)).toBe(storedAtCut);
    expect(projector.running).toBe(true);
    // Retried with backoff, not in a tight loop: each partition's waits grow (200 ms doubling
    // up to 5 s), so a 10 s outage costs a handful of attempts per partition, not dozens.
    const retries = retriesLogged(projector.log).slice(retriesBefore);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.length).toBeLessThanOrEqual(30);
    expect(Math.max(...retries.map((r) => r.retryInMs))).toBeGreaterThanOrEqual(1_600);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));

    await proxy.start();
    await waitFor('the PostgreSQL path back', async () => (await listing(api, false)).ok, 30_000);
    await allApplied(suite.db, stream);
    await expectExact(suite, config.id, stream, 'postgres-outage', 1);
    expect(await suite.kafka.readAll(suite.topics.dlq, 1, 3_000)).toHaveLength(0);
  }, 180_000);
});

describe('faults: Redis restarted mid-stream (every key lost)', () => {
  // Redis flushed (FLUSHDB) under a running projector: redis-resync.int-spec.ts.
  const redis = new PrivateRedis();
  const suite = new WriteSideSuite('fault-redis', 2);
  const pollMs = AppConfig.fromEnv(process.env).env.POLL_INTERVAL;
  let projector: ProjectorProcess;
  let api: RunningApi;

  beforeAll(async () => {
    await redis.start();
    suite.useRedis(redis.url);
    await suite.setUp(false);
    projector = new ProjectorProcess({ ...suite.env, REDIS_URL: redis.url });
    api = await startApi({ ...suite.env, REDIS_URL: redis.url, DEPENDENCY_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    await projector.kill();
    await api?.close();
    await suite.tearDown();
    await redis.stop();
  });

  it('answers 503 from memory while Redis is down, correct within a poll cycle after', async () => {
    const { config, stream } = await streamUnderWay(suite, projector, 'fault-redis', 4_000);
    await waitFor(
      'the config on the memory path',
      async () => (await listing(api, true)).body.total_count === 1,
    );

    await redis.stop();
    await stream.produce(2_000);
    // PostgreSQL keeps applying the stream (the Redis write is best effort) while the memory
    // path answers 503 with the API's error body and the PostgreSQL path keeps serving.
    let checks = 0;
    for (;;) {
      const [pg, memory] = await Promise.all([listing(api, false), listing(api, true)]);
      expect(memory.status).toBe(503);
      expect(memory.body).toMatchObject({
        is_bifrost_error: false,
        status_code: 503,
        error: { message: expect.stringMatching(/^Redis is unavailable/) },
      });
      expect(pg.status).toBe(200);
      expect(pg.body.total_count).toBe(1);
      checks += 1;
      if (checks >= 5 && (await storedUsage(suite.db)) >= stream.reference.events) break;
      await sleep(500);
    }
    const truth = (await listing(api, false)).body;

    await redis.start();
    // 503 until then (Redis away, then back but empty), never a 200 listing nothing or part.
    const healedInMs = await memoryPathHealed(api, truth, 10_000);
    // Both clients reconnect within RECONNECT_MAX_MS; the projector's next tick then finds the
    // read model gone and rewrites it; the rest is slack for a busy 2-core machine.
    expect(healedInMs).toBeLessThan(RECONNECT_MAX_MS + pollMs + 1_000);
    await expectExact(suite, config.id, stream, 'redis-restart', 1);
  }, 180_000);
});
