import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { AdmissionClient, HttpAnswer } from '../support/admission-client';
import { AUTH, bifrostError, resetReadModels, RunningApi, startApi } from '../support/api-harness';
import { openTestDatabase } from '../support/database-test-client';
import { aConfig, configUpserted } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { startProjector } from '../support/projector-harness';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const DEPENDENCY_TIMEOUT_MS = 1000;
const BOUND_MS = DEPENDENCY_TIMEOUT_MS + 1500;
const IN_FLIGHT = 150;
const READ_EVERY_MS = 20;
// Redis answering again must bring the API back in about one reconnection or timeout cycle.
const RECOVERY_MS = 5000;

/**
 * API replicas reach Redis through a TCP proxy the test cuts or holds (the machine's Redis itself
 * is never touched): one with ADMISSION_FAILURE_MODE=closed, one with open, and a closed one
 * that admits nothing before Redis stops answering.
 */
describe('admission with Redis unavailable', () => {
  const topics = suiteTopics('api-admissions-down');
  const kafka = new KafkaTestClient();
  const proxy = TcpProxy.for(TEST_ENV.REDIS_URL);
  const config = aConfig({ modelName: `down-${randomUUID().slice(0, 8)}` });
  let db: DataSource;
  let projector: INestApplicationContext;
  let closed: RunningApi;
  let open: RunningApi;
  let fresh: RunningApi;
  let clients: { closed: AdmissionClient; open: AdmissionClient; fresh: AdmissionClient };

  const body = () => ({
    request_id: `req-${randomUUID()}`,
    provider: 'openai',
    model: config.modelName,
    estimated_cost: '0.01',
  });
  const outcomes = async (api: RunningApi): Promise<Record<string, number>> => {
    const text = (await api.http().get('/metrics')).text;
    const found = [...text.matchAll(/usage_ledger_admissions_total\{outcome="(\w+)"\} (\d+)/g)];
    return Object.fromEntries(found.map(([, outcome, n]) => [outcome, Number(n)]));
  };
  const delta = (before: Record<string, number>, after: Record<string, number>) =>
    Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]));
  const countBy = (values: number[]) =>
    values.reduce<Record<number, number>>((n, v) => ({ ...n, [v]: (n[v] ?? 0) + 1 }), {});
  async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
    const started = Date.now();
    return [await work(), Date.now() - started];
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetReadModels(db);
    await kafka.createTopics(topics);
    await proxy.start();
    const viaProxy = {
      ...topicEnv(topics),
      REDIS_URL: proxy.withProxy(TEST_ENV.REDIS_URL),
      DEPENDENCY_TIMEOUT: `${DEPENDENCY_TIMEOUT_MS}ms`,
    };
    [projector, closed, open, fresh] = await Promise.all([
      startProjector(topicEnv(topics)),
      startApi({ ...viaProxy, ADMISSION_FAILURE_MODE: 'closed' }),
      startApi({ ...viaProxy, ADMISSION_FAILURE_MODE: 'open' }),
      startApi({ ...viaProxy, ADMISSION_FAILURE_MODE: 'closed' }),
    ]);
    clients = {
      closed: await AdmissionClient.on(closed),
      open: await AdmissionClient.on(open),
      fresh: await AdmissionClient.on(fresh, IN_FLIGHT),
    };
    await kafka.sendEvents(topics.config, [configUpserted(config)]);
    await waitFor('the config on both replicas', async () => {
      const answers = await Promise.all([clients.closed.admit(body()), clients.open.admit(body())]);
      return answers.every((a) => (a.body.limits as unknown[] | undefined)?.length === 3);
    });
  });

  afterAll(async () => {
    clients?.closed.close();
    clients?.open.close();
    clients?.fresh.close();
    await closed?.close();
    await open?.close();
    await fresh?.close();
    await projector?.close();
    await proxy.stop();
    await kafka.close();
    await db?.destroy();
  });

  describe('while the proxy is cut', () => {
    beforeAll(() => proxy.stop());
    afterAll(async () => {
      await proxy.start();
    });

    it('closed: answers 503 with the error body within the dependency timeout', async () => {
      // Deltas: while the config was awaited, an admission may already have met a read model
      // not built yet, which counts as unavailable (closed) or degraded (open) too.
      const before = await outcomes(closed);
      const [res, ms] = await timed(() => clients.closed.admit(body()));
      expect(res.status).toBe(503);
      expect(res.body).toEqual(
        bifrostError(503, expect.stringMatching(/^Redis is unavailable/) as string),
      );
      expect(ms).toBeLessThan(BOUND_MS);
      expect(delta(before, await outcomes(closed))).toMatchObject({ unavailable: 1 });
    });

    it('open: allows without a check, marked degraded, holding nothing', async () => {
      const request = body();
      const before = await outcomes(open);
      const [res, ms] = await timed(() => clients.open.admit(request));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        allowed: true,
        degraded: true,
        request_id: request.request_id,
        reservation_id: request.request_id,
        expires_at: expect.any(String),
        limits: [],
      });
      expect(ms).toBeLessThan(BOUND_MS);
      expect(delta(before, await outcomes(open))).toMatchObject({ degraded: 1 });
    });

    it('release answers 503 in either mode: there is nothing it could release', async () => {
      for (const client of [clients.closed, clients.open]) {
        const res = await client.release('any');
        expect(res.status).toBe(503);
      }
    });
  });

  it('admits with full checks again once Redis is back', async () => {
    for (const client of [clients.closed, clients.open]) {
      const res = await waitFor('Redis back', async () => {
        const answer = await client.admit(body());
        return answer.status === 200 && answer.body.degraded === undefined ? answer : undefined;
      });
      expect(res.body).toMatchObject({ allowed: true });
      expect((res.body.limits as unknown[]).length).toBe(3);
    }
    // Every refusal while Redis came back was counted too.
    expect((await outcomes(closed)).unavailable).toBeGreaterThanOrEqual(1);
    const seen = await outcomes(open);
    expect(seen.degraded).toBeGreaterThanOrEqual(1);
    expect(seen.allowed).toBeGreaterThanOrEqual(1);
    expect((await open.http().get('/health/ready').set(AUTH)).status).toBe(200);
  });

  // Why reads first: the first admission on a replica defines its Lua commands on the Redis
  // client. With ioredis auto-pipelining (redis/ioredis#1931), reads queued behind a command Redis
  // does not answer wait in a pipeline made before that definition; the admissions fail on it
  // (500), its callback throws "results[i] is not iterable", the pipeline after it is never sent
  // and every later command on the client waits forever (503 with Redis back). Admissions alone,
  // or on a replica that has admitted before, time out and recover even with auto-pipelining.
  describe(`while Redis holds ${IN_FLIGHT} first admissions and reads without answering`, () => {
    const readFromMemory = () =>
      fresh
        .http()
        .get('/api/governance/model-configs')
        .query({ from_memory: 'true' })
        .set(AUTH)
        .then((res) => res.status);
    afterAll(() => proxy.release());

    it('answers each 503 with the error body, then admits normally within seconds', async () => {
      proxy.hold();
      const reads: Promise<number>[] = [];
      const reading = setInterval(() => reads.push(readFromMemory()), READ_EVERY_MS);
      let stalled: [HttpAnswer, number][];
      try {
        await waitFor('reads in flight before the first admission', async () => reads.length >= 5);
        stalled = await Promise.all(
          Array.from({ length: IN_FLIGHT }, () => timed(() => clients.fresh.admit(body()))),
        );
      } finally {
        clearInterval(reading);
        proxy.release();
      }
      const released = Date.now();
      const request = body();
      const recovered = await waitFor(
        'an admission answered from Redis again',
        async () => {
          const answer = await clients.fresh.admit(request);
          return answer.status === 200 ? answer : undefined;
        },
        RECOVERY_MS,
      ).catch((error: Error) => error.message);
      const recoveryMs = Date.now() - released;
      await Promise.all(reads);

      // The whole picture first, so a failure shows both halves.
      expect({
        whileHeld: countBy(stalled.map(([res]) => res.status)),
        afterwards: typeof recovered === 'string' ? recovered : recovered.status,
      }).toEqual({ whileHeld: { 503: IN_FLIGHT }, afterwards: 200 });
      for (const [res, ms] of stalled) {
        expect(res.body).toEqual(
          bifrostError(503, expect.stringMatching(/^Redis is unavailable/) as string),
        );
        expect(ms).toBeLessThan(BOUND_MS);
      }
      expect(recoveryMs).toBeLessThan(RECOVERY_MS);
      expect(recovered).toMatchObject({
        body: { allowed: true, request_id: request.request_id, reservation_id: request.request_id },
      });
      expect(((recovered as HttpAnswer).body.limits as unknown[]).length).toBe(3);
    });
  });
});
