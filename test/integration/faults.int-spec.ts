import { aConfig, configUpserted } from '../support/event-builders';
import {
  allApplied,
  deadLetterCount,
  recordFigures,
  storedUsage,
  UsageStream,
} from '../support/fault-reference';
import { KafkaTestClient } from '../support/kafka-test-client';
import { PrivateBroker } from '../support/private-broker';
import { ProjectorProcess } from '../support/projector-process';
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

async function withConfig(suite: WriteSideSuite, model: string) {
  const config = aConfig({ modelName: model });
  await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
  return config;
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
    const config = await withConfig(suite, 'fault-kills');
    const stream = new UsageStream(suite.kafka, suite.topics.usage, 'fault-kills');
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
      );
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
    const config = await withConfig(suite, 'fault-rebalance');
    const stream = new UsageStream(suite.kafka, suite.topics.usage, 'fault-rebalance');
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
    const config = await withConfig(suite, 'fault-broker');
    const stream = new UsageStream(kafka, suite.topics.usage, 'fault-broker');
    projector.start();
    await stream.produce(3_000);
    await waitFor(
      'some of the stream applied',
      async () => (await storedUsage(suite.db)) >= 500,
      90_000,
      5,
    );
    await broker.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.start();
    await stream.produce(3_000);
    await allApplied(suite.db, stream, 180_000);
    expect(projector.running).toBe(true);
    await expectExact(suite, config.id, stream, 'broker-restart', 1);
  }, 240_000);
});
