import { DLQ_HEADERS, DLQ_TRUNCATED_HEADER, encodeStructured } from '@app/contracts';
import { createKafka, createProducer } from '@app/kafka';
import pino from 'pino';
import { TEST_ENV } from '../support/test-env';
import { deadLetterPublisher } from '@app/projector';
import { MAX_COUNTER_VALUE } from '@app/governance';
import { Metrics } from '@app/observability';
import { KafkaMessage } from 'kafkajs';
import {
  BadRecord,
  badConfigRecords,
  badUsageRecords,
  CORPUS_MODEL,
} from '../support/bad-record-corpus';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { countBy, writeFigures } from '../support/reliability-figures';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const PARTITIONS = 2;
// Topics of this suite take records up to 4 MiB, so a 2 MB value reaches the projector.
const BIG_TOPIC = [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }];

interface Sent {
  bad: BadRecord;
  topic: string;
  partition: number;
  offset: number;
}

interface LoggedLetter {
  topic: string;
  partition: number;
  kafka_offset: string;
  code: string;
  source: string | null;
  event_id: string | null;
}

/**
 * The bad-record corpus: every kind of bad record lands in the DLQ (and the dead_letters log)
 * once, with its code; every valid record around them is applied exactly once; no batch is
 * ever retried (a retry is how a bad record used to stop a partition for good). Every wait is
 * bounded. Writes the figures for the README's Reliability section to
 * test/results/kafka-bad-records.json.
 */
describe('bad-record corpus through the real broker', () => {
  const suite = new WriteSideSuite('bad-records', PARTITIONS);
  const at = new Date(Date.now() - 60_000);
  const aligned = aConfig({
    modelName: CORPUS_MODEL,
    calendarAligned: true,
    budgets: [
      { id: 'b-hour', maxLimit: usd('1000'), resetDuration: '1h' },
      { id: 'b-week', maxLimit: usd('1000'), resetDuration: '1w' },
    ],
  });
  const rolling = aConfig({
    ...aligned,
    id: `${aligned.id}-rolling`,
    provider: null,
    calendarAligned: false,
  });
  const goodConfigs = Array.from({ length: 6 }, (_, i) =>
    aConfig({ modelName: `corpus-good-${i}` }),
  );
  const good = () =>
    encodeStructured(
      usageRecorded(aUsage({ model: CORPUS_MODEL, cost: usd('1'), time: at })),
      null,
    );

  beforeAll(async () => {
    const admin = suite.kafka.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: suite.topics.usage, numPartitions: PARTITIONS, configEntries: BIG_TOPIC },
        { topic: suite.topics.dlq, numPartitions: 1, configEntries: BIG_TOPIC },
      ],
    });
    await admin.disconnect();
    await suite.setUp();
  });
  afterAll(() => suite.tearDown());

  const positionsReached = (topic: string, ends: number[]) =>
    waitFor(
      `${topic} applied to its end`,
      async () => {
        const rows: { partition: number; next_offset: string }[] = await suite.db.query(
          'SELECT partition, next_offset FROM consumer_positions WHERE topic = $1',
          [topic],
        );
        return ends.every(
          (end, p) =>
            end === 0 || rows.some((r) => r.partition === p && Number(r.next_offset) === end),
        );
      },
      60_000,
    );

  const retries = async (): Promise<number> => {
    const metric = await suite.projector!.get(Metrics).batchRetries.get();
    return metric.values.reduce((sum, v) => sum + v.value, 0);
  };

  it('dead-letters each bad record once with its code and applies every valid one once', async () => {
    const started = Date.now();
    const sent: Sent[] = [];

    // Config topic: the corpus configs, then bad definitions each followed by a good config.
    const configRecords = [configUpserted(aligned), configUpserted(rolling)].map((e) =>
      encodeStructured(e, null),
    );
    badConfigRecords().forEach((bad, i) => {
      sent.push({ bad, topic: suite.topics.config, partition: 0, offset: configRecords.length });
      configRecords.push(bad.record);
      configRecords.push(
        encodeStructured(configUpserted(goodConfigs[i % goodConfigs.length]), null),
      );
    });
    await suite.kafka.send(suite.topics.config, configRecords, 0);
    await positionsReached(suite.topics.config, [configRecords.length]);

    // Usage topic: a good record first on each partition, then bad, good, bad, good...
    const perPartition = Array.from({ length: PARTITIONS }, () => [good()]);
    let goodUsage = PARTITIONS;
    badUsageRecords().forEach((bad, i) => {
      const records = perPartition[i % PARTITIONS];
      sent.push({
        bad,
        topic: suite.topics.usage,
        partition: i % PARTITIONS,
        offset: records.length,
      });
      records.push(bad.record, good());
      goodUsage += 1;
    });
    // Valid too: a well-formed surrogate pair, escaped, in a member the ledger ignores.
    const pair = good();
    pair.value = Buffer.from(
      pair.value.toString().replace('"data":{', '"data":{"note":"\\ud83d\\ude00",'),
    );
    perPartition[0].push(pair);
    goodUsage += 1;
    for (const [partition, records] of perPartition.entries()) {
      await suite.kafka.send(suite.topics.usage, records, partition);
    }
    await positionsReached(
      suite.topics.usage,
      perPartition.map((r) => r.length),
    );

    // The log holds exactly one dead letter per bad record, with its code and, when the
    // envelope was readable, the event's identity (the API finds its verdicts by it).
    const logged: LoggedLetter[] = await suite.db.query(
      'SELECT topic, partition, kafka_offset, code, source, event_id FROM dead_letters',
    );
    const where = (s: { topic: string; partition: number; offset: number | string }) =>
      `${s.topic}/${s.partition}/${s.offset}`;
    const loggedAt = new Map(logged.map((l) => [where({ ...l, offset: l.kafka_offset }), l]));
    const outcome = sent.map((s) => {
      const letter = loggedAt.get(where(s));
      return {
        kind: s.bad.kind,
        code: letter?.code ?? 'applied',
        identified: letter ? letter.source !== null && letter.event_id !== null : undefined,
      };
    });
    expect(outcome).toEqual(
      sent.map((s) => ({
        kind: s.bad.kind,
        code: s.bad.code,
        identified: s.bad.identified ?? false,
      })),
    );
    expect(logged).toHaveLength(sent.length);

    // The DLQ topic has each of them exactly once, with the original bytes.
    const dlq = await suite.kafka.readAll(suite.topics.dlq, sent.length + 1, 5_000);
    const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    expect(dlq).toHaveLength(sent.length);
    const dlqAt = new Map(
      dlq.map((m) => [
        `${header(m, DLQ_HEADERS.sourceTopic)}/${header(m, DLQ_HEADERS.sourcePartition)}/${header(m, DLQ_HEADERS.sourceOffset)}`,
        m,
      ]),
    );
    for (const s of sent) {
      const message = dlqAt.get(where(s));
      expect([s.bad.kind, message && header(message, DLQ_HEADERS.code)]).toEqual([
        s.bad.kind,
        s.bad.code,
      ]);
      // Compared as a verdict, not as bytes: a diff of a 2 MB buffer would drown the output.
      const kept =
        (message?.value ?? null) === null
          ? s.bad.record.value === null
          : message!.value!.equals(s.bad.record.value ?? Buffer.alloc(0));
      expect([s.bad.kind, 'original bytes kept', kept]).toEqual([
        s.bad.kind,
        'original bytes kept',
        true,
      ]);
      expect(header(message!, DLQ_TRUNCATED_HEADER)).toBeUndefined();
    }

    // Every valid record applied once: both corpus configs got each good usage exactly once.
    for (const config of [aligned, rolling]) {
      expect(await suite.usageInPostgres(config.id, 'b-hour', 'cost', at)).toBe(
        usd(String(goodUsage)),
      );
      expect(await suite.usageInPostgres(config.id, 'b-week', 'cost', at)).toBe(
        usd(String(goodUsage)),
      );
      expect(await suite.usageInPostgres(config.id, 'rl-1', 'tokens', at)).toBe(
        BigInt(15 * goodUsage),
      );
      expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests', at)).toBe(
        BigInt(goodUsage),
      );
      await waitFor(
        'Redis to show the same usage',
        async () =>
          (await suite.usageInRedis(config.id, 'b-hour', 'cost', at)) === usd(String(goodUsage)),
      );
    }
    for (const config of goodConfigs) expect(await suite.limitsOf(config.id)).not.toEqual([]);
    const [{ n }]: { n: string }[] = await suite.db.query(
      `SELECT count(*) AS n FROM event_store WHERE type = 'governance.usage.recorded.v1'`,
    );
    expect(Number(n)).toBe(goodUsage);
    const retried = await retries();
    expect(retried).toBe(0);

    writeCorpusFigures(sent, goodUsage + goodConfigs.length, retried, Date.now() - started);
  });

  it('saturates a counter that many valid events would overflow, without stopping', async () => {
    const config = aConfig({
      modelName: 'saturating',
      rateLimit: {
        id: 'rl-1',
        tokenMaxLimit: 1_000_000_000_000,
        tokenResetDuration: '1h',
        requestMaxLimit: null,
        requestResetDuration: null,
      },
    });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await waitFor('config applied', async () => (await suite.limitsOf(config.id)).length > 0);
    // 1,100 events of the largest token count: their sum passes bigint's range.
    const huge = Array.from({ length: 1_100 }, () =>
      usageRecorded(
        aUsage({ model: 'saturating', totalTokens: Number.MAX_SAFE_INTEGER, time: at }),
      ),
    );
    await suite.kafka.sendEvents(suite.topics.usage, huge.slice(0, 500), 0);
    await suite.kafka.sendEvents(suite.topics.usage, huge.slice(500), 1);

    await waitFor(
      'the token counter to saturate',
      async () =>
        (await suite.usageInPostgres(config.id, 'rl-1', 'tokens', at)) === MAX_COUNTER_VALUE,
      60_000,
    );
    const [{ n }]: { n: string }[] = await suite.db.query(
      `SELECT count(*) AS n FROM event_store WHERE envelope::jsonb -> 'data' ->> 'model' = 'saturating'`,
    );
    expect(Number(n)).toBe(huge.length);
    expect(await retries()).toBe(0);
  });

  it('cuts a dead letter only when the DLQ topic refuses it whole, and says so', async () => {
    const small = `${suite.topics.dlq}.small`;
    const admin = suite.kafka.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: small,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(1024 * 1024) }],
        },
      ],
    });
    await admin.disconnect();
    // A client of its own that logs nothing: the broker's refusal is the expected path here.
    const quiet = createKafka({
      brokers: TEST_ENV.KAFKA_BROKERS.split(','),
      clientId: 'corpus-dlq',
      logger: pino({ level: 'silent' }),
    });
    const producer = createProducer(quiet);
    await producer.connect();
    const letter = (offset: string, bytes: number) => ({
      topic: suite.topics.usage,
      partition: 0,
      offset,
      original: { key: null, value: Buffer.alloc(bytes, 0x61), headers: {} },
      reason: { code: 'oversized' as const, message: 'too big' },
      identity: null,
    });
    try {
      await deadLetterPublisher(producer, small)([letter('7', 10), letter('8', 2 * 1024 * 1024)]);
    } finally {
      await producer.disconnect();
    }

    const dlq = await suite.kafka.readAll(small, 2);
    const byOffset = new Map(
      dlq.map((m) => [m.headers?.[DLQ_HEADERS.sourceOffset]?.toString(), m]),
    );
    expect(byOffset.get('7')?.value?.length).toBe(10);
    expect(byOffset.get('7')?.headers?.[DLQ_TRUNCATED_HEADER]).toBeUndefined();
    expect(byOffset.get('8')?.value?.length).toBe(256 * 1024);
    expect(byOffset.get('8')?.headers?.[DLQ_TRUNCATED_HEADER]?.toString()).toBe(
      String(2 * 1024 * 1024),
    );
  });
});

/** Figures for the README: bad records tried by kind, dead letters by code. */
function writeCorpusFigures(
  sent: Sent[],
  validApplied: number,
  batchRetries: number,
  elapsedMs: number,
): void {
  const usageKinds = sent.filter((s) => !s.topic.startsWith('test.config.')).length;
  writeFigures('kafka-bad-records', {
    kinds: sent.length,
    usageTopicKinds: usageKinds,
    configTopicKinds: sent.length - usageKinds,
    deadLettersByCode: countBy(sent, (s) => s.bad.code),
    validRecordsAppliedOnce: validApplied,
    batchRetries,
    elapsedMs,
    kindsTried: sent.map((s) => ({ kind: s.bad.kind, code: s.bad.code })),
  });
}
