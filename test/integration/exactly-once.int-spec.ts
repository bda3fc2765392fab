import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { WriteSideSuite } from '../support/write-side-suite';
import { waitFor } from '../support/wait-for';

describe('exactly once through the real broker', () => {
  const suite = new WriteSideSuite('exactly-once', 2);
  beforeAll(() => suite.setUp());
  afterAll(() => suite.tearDown());

  async function consumedAll(topic: string, records: number): Promise<void> {
    await waitFor(`${records} records of ${topic} consumed`, async () => {
      const [{ n }]: { n: string | null }[] = await suite.db.query(
        'SELECT sum(next_offset) AS n FROM consumer_positions WHERE topic = $1',
        [topic],
      );
      return Number(n ?? 0) >= records;
    });
  }

  it('gives the same counters when every event is delivered twice, reordered, on another partition', async () => {
    const config = aConfig({ modelName: 'gpt-4o', provider: 'openai' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await suite.eventsApplied(1);

    const events = Array.from({ length: 60 }, (_, i) =>
      usageRecorded(
        aUsage({ cost: usd('0.01'), totalTokens: 100 + i, inputTokens: 100 + i, outputTokens: 0 }),
      ),
    );
    await suite.kafka.sendEvents(suite.topics.usage, events, 0);
    await suite.kafka.sendEvents(suite.topics.usage, [...events].reverse(), 1);
    await suite.kafka.sendEvents(suite.topics.usage, events.slice(0, 20), 0);
    await consumedAll(suite.topics.usage, 140);

    const expectedTokens = BigInt(events.reduce((sum, _e, i) => sum + 100 + i, 0));
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('0.60'));
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(expectedTokens);
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(60n);
    const [{ n }]: { n: string }[] = await suite.db.query(
      `SELECT count(*) AS n FROM event_store WHERE type = 'governance.usage.recorded.v1'`,
    );
    expect(Number(n)).toBe(60);
    await waitFor(
      'Redis to agree',
      async () => (await suite.usageInRedis(config.id, 'b-day', 'cost')) === usd('0.60'),
    );
  });

  it('treats the same id from another source as a different event', async () => {
    const config = aConfig({ modelName: 'claude', provider: 'anthropic' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await waitFor('config applied', async () => (await suite.limitsOf(config.id)).length > 0);

    const usage = aUsage({ model: 'claude', provider: 'anthropic', cost: usd('1') });
    const first = usageRecorded(usage, 'shared-id');
    const second = { ...usageRecorded(usage, 'shared-id'), source: 'tests/other-gateway' };
    await suite.kafka.sendEvents(suite.topics.usage, [first, second, first]);
    await waitFor(
      'both sources counted',
      async () => (await suite.usageInPostgres(config.id, 'b-day', 'cost')) === usd('2'),
    );
  });
});
