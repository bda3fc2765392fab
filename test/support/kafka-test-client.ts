import { encodeStructured, CloudEventEnvelope, EncodedRecord } from '@app/contracts';
import { createKafka, createProducer, ensureTopics } from '@app/kafka';
import { randomUUID } from 'crypto';
import { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { TEST_ENV } from './test-env';

export interface SuiteTopics {
  usage: string;
  config: string;
  dlq: string;
  alerts: string;
  group: string;
}

/** Fresh topic names and consumer group for one suite: suites never see each other's records. */
export function suiteTopics(name: string): SuiteTopics {
  const suffix = `${name}-${randomUUID().slice(0, 8)}`;
  return {
    usage: `test.usage.${suffix}`,
    config: `test.config.${suffix}`,
    dlq: `test.dlq.${suffix}`,
    alerts: `test.alerts.${suffix}`,
    group: `test-projector-${suffix}`,
  };
}

/** The topic and group variables a projector needs to use a suite's topics. */
export function topicEnv(t: SuiteTopics, usagePartitions = 2): Record<string, string> {
  return {
    USAGE_TOPIC: t.usage,
    CONFIG_TOPIC: t.config,
    DLQ_TOPIC: t.dlq,
    ALERT_TOPIC: t.alerts,
    KAFKA_CONSUMER_GROUP: t.group,
    USAGE_TOPIC_PARTITIONS: String(usagePartitions),
  };
}

export class KafkaTestClient {
  readonly kafka: Kafka;
  private producer: Producer | null = null;

  /** `brokers`: a test's private broker; the shared one by default. */
  constructor(brokers: string = TEST_ENV.KAFKA_BROKERS) {
    this.kafka = createKafka({ brokers: brokers.split(','), clientId: 'usage-ledger-tests' });
  }

  async createTopics(t: SuiteTopics, usagePartitions = 2): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: t.usage, partitions: usagePartitions },
      { topic: t.config, partitions: 1 },
      { topic: t.dlq, partitions: 1 },
    ]);
  }

  async send(topic: string, records: EncodedRecord[], partition?: number): Promise<void> {
    this.producer ??= createProducer(this.kafka);
    await this.producer.connect();
    await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ ...r, partition })),
    });
  }

  /** Sends envelopes in structured mode, keyed by `key` (default: the event id). */
  async sendEvents(
    topic: string,
    envelopes: CloudEventEnvelope[],
    partition?: number,
  ): Promise<void> {
    await this.send(
      topic,
      envelopes.map((e) => encodeStructured(e, e.id)),
      partition,
    );
  }

  /** Reads a topic from the beginning until `count` messages arrived (or the timeout). */
  async readAll(topic: string, count: number, timeoutMs = 20_000): Promise<KafkaMessage[]> {
    const consumer = this.kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) resolve();
        },
      });
      timer = setTimeout(resolve, timeoutMs);
    });
    await done;
    clearTimeout(timer);
    await consumer.disconnect();
    return messages;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}
