import { encodeStructured } from '@app/contracts';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';
import { PrivateBroker } from '../support/private-broker';
import { ProjectorProcess } from '../support/projector-process';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const SHUTDOWN_TIMEOUT_MS = 3_000;
// What the process may take beyond the timeout: exiting, and a busy 2-core machine.
const SLACK_MS = 3_000;

async function ready(app: ProjectorProcess): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${app.port}/health/ready`).catch(() => null);
  return res?.status === 200;
}

async function timedSignal(app: ProjectorProcess, signal: NodeJS.Signals) {
  const started = Date.now();
  const code = await Promise.race([
    app.signal(signal),
    new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000)),
  ]);
  return { code, ms: Date.now() - started };
}

describe('shutdown is bounded', () => {
  const broker = new PrivateBroker();
  const pgProxy = TcpProxy.for(TEST_ENV.DATABASE_URL);
  let api: ProjectorProcess | null = null;

  beforeAll(async () => {
    await Promise.all([broker.create(), pgProxy.start()]);
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    await broker.destroy();
    await pgProxy.stop();
  });

  it('the API with its projector exits within SHUTDOWN_TIMEOUT of SIGTERM while Kafka hangs and a batch is in flight', async () => {
    const topics = suiteTopics('shutdown-kafka-down');
    const kafka = new KafkaTestClient(broker.brokers);
    api = new ProjectorProcess(
      {
        ...topicEnv(topics),
        KAFKA_BROKERS: broker.brokers,
        DATABASE_URL: pgProxy.withProxy(TEST_ENV.DATABASE_URL),
        RUN_PROJECTOR: '1',
        SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`,
      },
      'api',
    );
    api.start();
    await waitFor('the API ready', () => ready(api!), 60_000, 250);

    // A batch that cannot commit (PostgreSQL gone) and retries while Kafka goes away too.
    await pgProxy.stop();
    await kafka.sendEvents(topics.usage, [usageRecorded(aUsage())]);
    await kafka.close();
    await waitFor('the batch retrying', async () => api!.log.includes('batch failed; retrying'));
    broker.freeze(); // hung, not refusing: every Kafka request waits for its timeout
    await new Promise((r) => setTimeout(r, 1_000));
    const { code, ms } = await timedSignal(api, 'SIGTERM');
    if (code === 'still running') await api.kill();

    expect(code).not.toBe('still running');
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SLACK_MS);
  });
});

describe('graceful shutdown in the middle of a stream', () => {
  const EVENTS_PER_RUN = 20_000;
  const suite = new WriteSideSuite('sigterm', 3);
  const config = aConfig({ modelName: 'sigterm-model' });
  let projector: ProjectorProcess;
  let produced = 0;

  beforeAll(async () => {
    await suite.setUp(false);
    projector = new ProjectorProcess({ ...suite.env, SHUTDOWN_TIMEOUT: '10s' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
  });
  afterAll(async () => {
    await projector.kill();
    await suite.tearDown();
  });

  const stored = async (): Promise<number> => {
    const [{ n }]: { n: string }[] = await suite.db.query('SELECT count(*) AS n FROM event_store');
    return Number(n);
  };

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops within the timeout on %s mid-stream, exits 0, and a restart applies every event once',
    async (signal) => {
      for (let sent = 0; sent < EVENTS_PER_RUN; sent += 500) {
        const records = Array.from({ length: 500 }, () =>
          encodeStructured(
            usageRecorded(aUsage({ model: 'sigterm-model', cost: usd('0.001') })),
            null,
          ),
        );
        await suite.kafka.send(suite.topics.usage, records);
      }
      const before = produced + 1;
      produced += EVENTS_PER_RUN;
      projector.start();
      await waitFor(
        'the projector in the middle of the stream',
        async () => {
          const n = await stored();
          return n > before + 500 && n < produced + 1;
        },
        60_000,
        10,
      );
      const { code, ms } = await timedSignal(projector, signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000 + SLACK_MS);

      projector.start();
      await waitFor('every event applied', async () => (await stored()) === produced + 1, 90_000);
      await projector.stop();
      expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(BigInt(produced));
      expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(BigInt(produced * 15));
    },
  );
});
