/**
 * End-to-end projector throughput through the real broker, PostgreSQL and Redis.
 *
 * 1. Pre-loads N structured usage events (plus the configs they charge) into fresh topics.
 * 2. Baseline: a bare kafkajs eachBatch consumer that only counts the same records.
 * 3. Measured: the compiled projector (its own process, as in production) from first record
 *    to the last event committed; then checks the counters are exact (exactly once).
 * Figures are reported as events/s and as a ratio to the baseline of the same run.
 */
import {
  encodeStructured,
  modelConfigUpsertedEnvelope,
  usageRecordedEnvelope,
} from '@app/contracts';
import { createKafka, createProducer, ensureTopics } from '@app/kafka';
import { randomUUID } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { TEST_ENV } from '../test/support/test-env';
import { ProjectorProcess } from '../test/support/projector-process';
import { aConfig, aUsage, usd } from '../test/support/event-builders';
import { runMigrations } from '@app/database';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/usage_ledger_bench';
const brokers = TEST_ENV.KAFKA_BROKERS.split(',');

async function main(): Promise<void> {
  const suffix = randomUUID().slice(0, 8);
  const topics = {
    usage: `bench.usage.${suffix}`,
    config: `bench.config.${suffix}`,
    dlq: `bench.dlq.${suffix}`,
  };
  const kafka = createKafka({ brokers, clientId: 'usage-ledger-bench' });
  await ensureTopics(kafka, [
    { topic: topics.usage, partitions: PARTITIONS },
    { topic: topics.config, partitions: 1 },
    { topic: topics.dlq, partitions: 1 },
  ]);
  const db = await freshDatabase();

  const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro'];
  const configs = [
    ...models.map((m) => aConfig({ modelName: m, provider: null })),
    aConfig({ modelName: '*', provider: null }),
    aConfig({ modelName: '*', provider: null, scope: 'virtual_key', scopeId: 'vk-1' }),
  ];
  const producer = createProducer(kafka);
  await producer.connect();
  const now = new Date();
  await producer.send({
    topic: topics.config,
    messages: configs.map((c) =>
      encodeStructured(
        modelConfigUpsertedEnvelope(c, { source: 'bench', id: randomUUID(), time: now }),
        c.id,
      ),
    ),
  });
  const produceStarted = performance.now();
  for (let sent = 0; sent < EVENTS; sent += 1000) {
    const messages = Array.from({ length: Math.min(1000, EVENTS - sent) }, (_, i) =>
      encodeStructured(
        usageRecordedEnvelope(
          aUsage({
            model: models[(sent + i) % models.length],
            virtualKeyId: (sent + i) % 2 ? 'vk-1' : null,
            cost: usd('0.001'),
            time: new Date(),
          }),
          { source: 'bench', id: randomUUID() },
        ),
        null,
      ),
    );
    await producer.send({ topic: topics.usage, messages });
  }
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  await producer.disconnect();

  const baseline = await bareConsumeRate(kafka, topics.usage);

  const projector = new ProjectorProcess({
    DATABASE_URL,
    REDIS_URL: TEST_ENV.REDIS_URL,
    REDIS_KEY_PREFIX: `bench-${suffix}:`,
    KAFKA_BROKERS: TEST_ENV.KAFKA_BROKERS,
    USAGE_TOPIC: topics.usage,
    CONFIG_TOPIC: topics.config,
    DLQ_TOPIC: topics.dlq,
    KAFKA_CONSUMER_GROUP: `bench-${suffix}`,
    USAGE_TOPIC_PARTITIONS: String(PARTITIONS),
    NODE_ENV: 'production',
    PROJECTOR_CONCURRENCY: process.env.PROJECTOR_CONCURRENCY ?? '2',
  });
  projector.start();
  let seconds: number;
  try {
    // The clock starts at the first usage event applied: start-up and group joins are not counted.
    await waitUntil(db, configs.length + 1);
    const started = performance.now();
    await waitUntil(db, EVENTS + configs.length).catch((error: Error) => {
      throw new Error(`${error.message}\nprojector log:\n${projector.log}`);
    });
    seconds = (performance.now() - started) / 1000;
  } finally {
    await projector.stop();
  }

  const exact = await verifyExactlyOnce(db, configs[4].id);
  await db.end();
  const projectorRate = EVENTS / seconds;
  const result = {
    at: new Date().toISOString(),
    events: EVENTS,
    partitions: PARTITIONS,
    produce_events_per_s: Math.round(EVENTS / produceSeconds),
    baseline_bare_consumer_events_per_s: Math.round(baseline),
    projector_events_per_s: Math.round(projectorRate),
    projector_to_baseline_ratio: Number((projectorRate / baseline).toFixed(3)),
    exactly_once: exact,
  };
  report(result);
  if (!exact) process.exitCode = 1;
}

async function freshDatabase(): Promise<Client> {
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(
    `DROP DATABASE IF EXISTS "${new URL(DATABASE_URL).pathname.slice(1)}" WITH (FORCE)`,
  );
  await c.end();
  await runMigrations(DATABASE_URL);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  return db;
}

async function bareConsumeRate(
  kafka: ReturnType<typeof createKafka>,
  topic: string,
): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `bench-baseline-${randomUUID()}`,
    maxBytes: 16 << 20,
    maxBytesPerPartition: 4 << 20,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  const done = new Promise<number>((resolve, reject) => {
    setTimeout(
      () => reject(new Error('baseline consumer did not finish in 300 s')),
      300_000,
    ).unref();
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (started === 0) started = performance.now();
        seen += batch.messages.length;
        if (seen >= EVENTS) resolve(EVENTS / ((performance.now() - started) / 1000));
      },
    });
  });
  const rate = await done;
  await consumer.disconnect();
  return rate;
}

async function waitUntil(db: Client, count: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The projection's own high-water mark: O(1), unlike count(*) on a growing table.
    const { rows } = await db.query<{ n: string }>('SELECT last_seq AS n FROM read_model_state');
    if (Number(rows[0].n) >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the projector did not reach sequence ${count} within ${timeoutMs} ms`);
}

/** The catch-all config is charged by every event once: its request counter must equal N. */
async function verifyExactlyOnce(db: Client, catchAllId: string): Promise<boolean> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT coalesce(sum(c.value), 0) AS total FROM model_configs mc
       CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
       JOIN usage_counters c ON c.counter_key = l->>'counter_key'
      WHERE mc.id = $1 AND l->>'dimension' = 'requests'`,
    [catchAllId],
  );
  return BigInt(rows[0].total) === BigInt(EVENTS);
}

function report(result: Record<string, unknown>): void {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    '# Projector throughput',
    '',
    '| metric | value |',
    '| --- | --- |',
    ...Object.entries(result).map(([k, v]) => `| ${k} | ${String(v)} |`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'throughput.md'), md);
  process.stdout.write(`${md}\n`);
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
