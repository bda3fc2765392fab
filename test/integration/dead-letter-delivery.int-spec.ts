import { DLQ_HEADERS, USAGE_RECORDED_V1 } from '@app/contracts';
import { createDataSource } from '@app/database';
import { createProducer } from '@app/kafka';
import { BatchApplier, DeadLetterPublisher, DecodedRecord, IncomingBatch } from '@app/ledger';
import { randomUUID } from 'crypto';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { deadLetterPublisher } from '@app/projector';
import { resetDatabase } from '../support/database-test-client';
import { aUsage } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { TEST_ENV } from '../support/test-env';
import { testRegistry } from '../support/test-read-model';
import { waitFor } from '../support/wait-for';

const aBadRecord = (offset: number): DecodedRecord => ({
  offset: String(offset),
  original: { key: Buffer.from('bad-key'), value: Buffer.from('{"no'), headers: {} },
  rejected: { code: 'invalid_json', message: 'value is not JSON' },
  identity: null,
});

const aUsageRecord = (offset: number): DecodedRecord => ({
  offset: String(offset),
  original: { key: null, value: null, headers: {} },
  event: {
    type: USAGE_RECORDED_V1,
    source: 'tests/gateway',
    id: randomUUID(),
    time: new Date(),
    usage: aUsage(),
  },
});

/**
 * The batch applier against the real PostgreSQL (and, for the DLQ records, the real broker):
 * when dead letters are sent inside the batch transaction, and what a repeat looks like.
 */
describe('dead-letter delivery', () => {
  const topics = suiteTopics('dlq-delivery');
  const kafka = new KafkaTestClient();
  let db: DataSource;
  let producer: Producer;

  const batch = (partition: number, records: DecodedRecord[], group = topics.group) =>
    ({
      group,
      topic: topics.usage,
      partition,
      records,
      nextOffset: BigInt(records.length),
    }) satisfies IncomingBatch;

  beforeAll(async () => {
    db = await createDataSource({
      url: TEST_ENV.DATABASE_URL,
      poolSize: 4,
      applicationName: 'tests',
    }).initialize();
    await kafka.createTopics(topics);
    producer = createProducer(kafka.kafka);
    await producer.connect();
  });
  beforeEach(() => resetDatabase(db));

  afterAll(async () => {
    await producer?.disconnect();
    await kafka.close();
    await db?.destroy();
  });

  it("lets other partitions' batches commit while one waits on a slow DLQ", async () => {
    let release = (): void => undefined;
    const dlqAnswers = new Promise<void>((resolve) => (release = resolve));
    let sending = false;
    const slowDlq = new BatchApplier(db, testRegistry(db), async () => {
      sending = true;
      await dlqAnswers;
    });
    const applier = new BatchApplier(db, testRegistry(db), () => Promise.resolve());

    const waiting = slowDlq.apply(batch(0, [aBadRecord(0)]));
    await waitFor('the DLQ send to start', async () => sending);
    const other = applier.apply(batch(1, [aUsageRecord(0), aUsageRecord(1)]));
    const outcome = await Promise.race([
      other.then(() => 'committed'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000)),
    ]);
    release();
    await Promise.all([waiting, other]);

    expect(outcome).toBe('committed');
    const [{ n }]: { n: string }[] = await db.query('SELECT count(*) AS n FROM dead_letters');
    expect(Number(n)).toBe(1);
  });

  it('never moves the position past a dead letter whose send failed', async () => {
    const failing = new BatchApplier(db, testRegistry(db), () =>
      Promise.reject(new Error('DLQ unreachable')),
    );
    await expect(failing.apply(batch(0, [aUsageRecord(0), aBadRecord(1)]))).rejects.toThrow(
      'DLQ unreachable',
    );
    const positions: unknown[] = await db.query('SELECT 1 FROM consumer_positions');
    const letters: unknown[] = await db.query('SELECT 1 FROM dead_letters');
    expect([positions.length, letters.length]).toEqual([0, 0]);
  });

  it('sends a repeat after a crash between DLQ send and commit with the same key and dlq_id, and never a third', async () => {
    const send = deadLetterPublisher(producer, topics.dlq);
    const crashAfterSend: DeadLetterPublisher = async (letters) => {
      await send(letters);
      throw new Error('crashed before the commit');
    };
    const records = [aUsageRecord(0), aBadRecord(1)];

    await expect(
      new BatchApplier(db, testRegistry(db), crashAfterSend).apply(batch(0, records)),
    ).rejects.toThrow();
    await new BatchApplier(db, testRegistry(db), send).apply(batch(0, records));
    // The same records consumed again by a new consumer group: already logged, not sent again.
    await new BatchApplier(db, testRegistry(db), send).apply(
      batch(0, records, `${topics.group}-new`),
    );

    const dlq = await kafka.readAll(topics.dlq, 3, 5_000);
    expect(dlq).toHaveLength(2);
    const expectedId = `${topics.usage}/0/1`;
    for (const message of dlq) {
      expect(message.key?.toString()).toBe(expectedId);
      expect(message.headers?.[DLQ_HEADERS.id]?.toString()).toBe(expectedId);
      expect(message.headers?.[DLQ_HEADERS.originalKey]?.toString()).toBe('bad-key');
    }
    const letters: { kafka_offset: string }[] = await db.query(
      'SELECT kafka_offset FROM dead_letters',
    );
    expect(letters).toEqual([{ kafka_offset: '1' }]);
  });
});
