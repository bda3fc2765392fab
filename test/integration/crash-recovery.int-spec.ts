import { encodeStructured } from '@app/contracts';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { ProjectorProcess } from '../support/projector-process';
import { WriteSideSuite } from '../support/write-side-suite';
import { waitFor } from '../support/wait-for';

const EVENTS = 20_000;
const PER_SEND = 500;

describe('crash recovery', () => {
  const suite = new WriteSideSuite('crash', 3);
  let projector: ProjectorProcess;

  beforeAll(async () => {
    await suite.setUp(false);
    projector = new ProjectorProcess(suite.env);
  });

  afterAll(async () => {
    await projector.stop();
    await suite.tearDown();
  });

  async function storedEvents(): Promise<number> {
    const [{ n }]: { n: string }[] = await suite.db.query('SELECT count(*) AS n FROM event_store');
    return Number(n);
  }

  it('ends with exact counters after SIGKILLs in the middle of batches', async () => {
    const config = aConfig({ modelName: 'crash-model' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    projector.start();
    // Usage and config topics are not ordered with each other: let the config land first.
    await waitFor('config applied', async () => (await storedEvents()) === 1, 60_000);
    for (let sent = 0; sent < EVENTS; sent += PER_SEND) {
      const records = Array.from({ length: PER_SEND }, () =>
        encodeStructured(usageRecorded(aUsage({ model: 'crash-model', cost: usd('0.001') })), null),
      );
      await suite.kafka.send(suite.topics.usage, records);
    }

    for (const threshold of [EVENTS * 0.15, EVENTS * 0.4]) {
      await waitFor(
        `projector past ${threshold} events`,
        async () => (await storedEvents()) > threshold,
        60_000,
      );
      await projector.kill();
      expect(await storedEvents()).toBeLessThan(EVENTS + 1);
      projector.start();
    }

    await waitFor(
      'every event applied',
      async () => (await storedEvents()) === EVENTS + 1,
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nprojector log:\n${projector.log}`);
    });
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(usd('20'));
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(BigInt(EVENTS));
    expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens')).toBe(BigInt(EVENTS * 15));
    await waitFor(
      'Redis to agree after the crashes',
      async () => (await suite.usageInRedis(config.id, 'rl-1', 'requests')) === BigInt(EVENTS),
    );
  });
});
