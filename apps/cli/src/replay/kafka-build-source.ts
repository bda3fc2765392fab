import { AppConfig } from '@app/config';
import { createKafka, createProducer } from '@app/kafka';
import {
  configSource,
  deadLetterPublisher,
  ingestFromKafka,
  KafkaIngestSummary,
  usageSource,
} from '@app/projector';
import pino from 'pino';
import { DataSource } from 'typeorm';

/** What `replay build --from kafka` reports of its Kafka step (offsets as strings for JSON). */
export interface KafkaSourceReport extends Omit<KafkaIngestSummary, 'ranges'> {
  ranges: { topic: string; partition: number; from: string; to: string }[];
}

/**
 * The Kafka source of `replay build --from kafka`: the config and usage topics, up to where the
 * live projector stands, into the event store; bad records go to the DLQ like the live path's.
 */
export function kafkaBuildSource(
  config: AppConfig,
  ds: DataSource,
  since: Date | undefined,
  report: (r: KafkaSourceReport) => void,
): { name: string; fill: () => Promise<void> } {
  const { env, topics } = config;
  const groups = config.consumerGroups;
  return {
    name: 'kafka',
    fill: async () => {
      // stderr: stdout carries the build's result line.
      const logger = pino(
        { level: env.LOG_LEVEL, base: { service: 'usage-ledger-replay' } },
        pino.destination(2),
      );
      const kafka = createKafka({
        brokers: env.KAFKA_BROKERS,
        clientId: 'usage-ledger-replay',
        logger,
      });
      const producer = createProducer(kafka);
      await producer.connect();
      try {
        const summary = await ingestFromKafka(
          kafka,
          ds,
          [configSource(topics.config, groups.config), usageSource(topics.usage, groups.usage)],
          deadLetterPublisher(producer, topics.dlq),
          {
            since,
            maxClockSkewMs: env.MAX_CLOCK_SKEW,
            maxValueBytes: env.MAX_EVENT_BYTES,
            sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT,
            logger,
            onBatch: throttledProgress(),
          },
        );
        report({
          ...summary,
          ranges: summary.ranges.map((r) => ({
            topic: r.topic,
            partition: r.partition,
            from: r.from.toString(),
            to: r.to.toString(),
          })),
        });
      } finally {
        await producer.disconnect();
      }
    },
  };
}

// One line at most this often, like the build's own progress without a terminal.
const PROGRESS_INTERVAL_MS = 2000;

/** The Kafka step's progress on stderr: records read of the ranges known so far. */
function throttledProgress(out: NodeJS.WriteStream = process.stderr) {
  let last = Date.now();
  return (s: KafkaIngestSummary) => {
    if (Date.now() - last < PROGRESS_INTERVAL_MS) return;
    last = Date.now();
    const total = s.ranges.reduce((n, r) => n + Number(r.to - r.from), 0);
    const { records, appended, duplicates, dead_lettered } = s;
    out.write(
      `${JSON.stringify({ kafka_progress: { records, of: total, appended, duplicates, dead_lettered } })}\n`,
    );
  };
}
