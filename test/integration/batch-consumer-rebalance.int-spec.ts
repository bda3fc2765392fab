import { BatchConsumer, createKafka, PartitionBatch } from '@app/kafka';
import pino from 'pino';
import { aUsage, usageRecorded } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/**
 * A member whose batch keeps failing (a database outage) retries it in place. When another
 * member joins meanwhile, the group rebalances: the retrying member must give the batch up and
 * rejoin at once. kafkajs rejoins only after every eachBatch returned, and the broker holds
 * every member's join until all rejoin or the rebalance timeout (60 s) drops the slow one; a
 * retry loop that swallowed the "rebalancing" heartbeats held the whole group that long (the
 * clash suite saw a member that never rejoined).
 */
describe('a batch retried through a rebalance', () => {
  const t = suiteTopics('rebalance-retry');
  const kafka = new KafkaTestClient();
  const silent = pino({ level: 'silent' });
  // Its own client, silent: kafkajs logs every "rebalancing" heartbeat answer as an error.
  const groupKafka = createKafka({
    brokers: TEST_ENV.KAFKA_BROKERS.split(','),
    clientId: 'rebalance-retry',
    logger: silent,
  });
  const consumers: BatchConsumer[] = [];
  const joins = new Map<string, number>();

  function member(name: string, handle: (b: PartitionBatch) => Promise<void>): BatchConsumer {
    const consumer = new BatchConsumer(groupKafka, {
      groupId: t.group,
      topics: [t.usage],
      storedPositions: async () => new Map(),
      handle,
      logger: silent,
      sessionTimeoutMs: 10_000,
      retryInitialMs: 200,
      retryMaxMs: 1_000,
      onGroupJoin: () => joins.set(name, (joins.get(name) ?? 0) + 1),
    });
    consumers.push(consumer);
    return consumer;
  }

  beforeAll(() => kafka.createTopics(t));
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await kafka.close();
  });

  it('gives the batch up, rejoins, and lets the new member in within seconds', async () => {
    let attempts = 0;
    const failing = member('failing', async () => {
      attempts += 1;
      throw new Error('database unavailable');
    });
    await failing.start();
    await kafka.sendEvents(t.usage, [usageRecorded(aUsage())], 0);
    await kafka.sendEvents(t.usage, [usageRecorded(aUsage())], 1);
    await waitFor('the batch retried', async () => attempts >= 3, 30_000, 100);

    const started = Date.now();
    const newcomer = member('newcomer', async () => undefined);
    await newcomer.start();
    await waitFor('the newcomer in the group', async () => joins.has('newcomer'), 30_000, 100);
    const joinedAfterMs = Date.now() - started;

    // Seconds: one heartbeat interval (1 s) plus the join round trip, under load a few more;
    // a held group answers only at the 60 s rebalance timeout.
    expect(joinedAfterMs).toBeLessThan(15_000);
    // The retrying member rejoined (not dropped): it joined twice and keeps retrying its batch.
    await waitFor('the retrying member rejoined', async () => joins.get('failing') === 2, 5_000);
    const before = attempts;
    await waitFor('retries after the rejoin', async () => attempts > before, 15_000, 100);
  }, 90_000);
});
