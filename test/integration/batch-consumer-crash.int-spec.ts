import { BatchConsumer, createKafka, PartitionBatch } from '@app/kafka';
import pino from 'pino';
import { aUsage, usageRecorded } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { PrivateBroker } from '../support/private-broker';
import { waitFor } from '../support/wait-for';

/**
 * kafkajs restarts a crashed consumer only for errors it deems retriable; for the others it
 * stops it for good and the process looks alive. The broker-restart fault scenario hit one
 * ("Failed to find group coordinator": the broker went away while the group was rejoining) and
 * the projector applied nothing after the broker came back. That race is timing-bound; a
 * broker with `group.max.size=1` gives the same kind of crash on demand: a second member's
 * join is refused with GROUP_MAX_SIZE_REACHED, which kafkajs does not retry.
 */
describe('a consumer that kafkajs stopped on an error it does not retry', () => {
  const broker = new PrivateBroker({ 'group.max.size': '1' });
  const t = suiteTopics('consumer-crash');
  const silent = pino({ level: 'silent' });
  const consumers: BatchConsumer[] = [];
  let kafka: KafkaTestClient;

  function member(handle: (b: PartitionBatch) => Promise<void>, onRestart?: () => void) {
    const consumer = new BatchConsumer(
      createKafka({ brokers: [broker.brokers], clientId: 'consumer-crash', logger: silent }),
      {
        groupId: t.group,
        topics: [t.usage],
        storedPositions: async () => new Map(),
        handle,
        logger: silent,
        sessionTimeoutMs: 6_000,
        restartInitialMs: 200,
        onRestart,
      },
    );
    consumers.push(consumer);
    return consumer;
  }

  beforeAll(async () => {
    await broker.create();
    kafka = new KafkaTestClient(broker.brokers);
    await kafka.createTopics(t);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await kafka?.close();
    await broker.destroy();
  });

  it('is started again, is not ready meanwhile, and consumes once it can join', async () => {
    const first = member(async () => undefined);
    await first.start();
    await waitFor('the first member in the group', async () => first.memberId !== null, 30_000);

    let restarts = 0;
    const handled: PartitionBatch[] = [];
    const second = member(
      async (b) => void handled.push(b),
      () => (restarts += 1),
    );
    await second.start();
    await waitFor('the refused member restarting', async () => restarts >= 1, 30_000, 50);
    expect(second.restartingAfterCrash).toBe(true);
    expect(second.memberId).toBeNull();

    // Room in the group: the restarted member joins and consumes what is sent from then on.
    await first.stop();
    await waitFor(
      'the restarted member in the group',
      async () => second.memberId !== null,
      60_000,
    );
    expect(second.restartingAfterCrash).toBe(false);
    await kafka.sendEvents(t.usage, [usageRecorded(aUsage())], 0);
    await waitFor('the record consumed', async () => handled.length > 0, 30_000, 50);
  }, 150_000);
});
