import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV } from '../support/test-env';
import { WriteSideSuite } from '../support/write-side-suite';

describe('a PostgreSQL outage under the projector', () => {
  const suite = new WriteSideSuite('db-outage', 1);
  const proxy = TcpProxy.for(TEST_ENV.DATABASE_URL);

  beforeAll(async () => {
    await proxy.start();
    await suite.setUp(false);
    // Only the projector goes through the proxy; the test reads PostgreSQL directly.
    await suite.startProjector({ DATABASE_URL: proxy.withProxy(TEST_ENV.DATABASE_URL) });
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await suite.tearDown();
    await proxy.stop();
  });

  it('pauses, retries and then applies every event once, dead-lettering none', async () => {
    const config = aConfig({ modelName: 'outage-model' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await suite.eventsApplied(1);

    await proxy.stop();
    const usages = Array.from({ length: 40 }, () =>
      usageRecorded(aUsage({ model: 'outage-model', cost: usd('0.5') })),
    );
    await suite.kafka.sendEvents(suite.topics.usage, usages);
    // Long enough for several failed attempts (the connect timeout is DEPENDENCY_TIMEOUT).
    await new Promise((r) => setTimeout(r, 5_000));
    const [{ n }]: { n: string }[] = await suite.db.query('SELECT count(*) AS n FROM event_store');
    expect(Number(n)).toBe(1);

    await proxy.start();
    await suite.eventsApplied(41, 60_000);
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('20'));
    const letters: unknown[] = await suite.db.query('SELECT 1 FROM dead_letters');
    expect(letters).toHaveLength(0);
    const dlq = await suite.kafka.readAll(suite.topics.dlq, 1, 3_000);
    expect(dlq).toHaveLength(0);
  });
});
