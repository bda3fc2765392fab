import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  CloudEventEnvelope,
  EncodedRecord,
  encodeAcceptedConfigEvent,
  InvalidRecordError,
} from '@app/contracts';
import { createProducer, ensureTopics, KAFKA_CLIENT } from '@app/kafka';
import { Kafka, Producer } from 'kafkajs';
import { badRequest } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';

/**
 * Appends config events to the config topic, keyed by config id. Connects on first use, so the
 * API starts (and serves reads) while Kafka is away.
 */
@Injectable()
export class ConfigEventPublisher implements OnApplicationShutdown {
  private producer: Promise<Producer> | null = null;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {}

  async publish(envelope: CloudEventEnvelope, configId: string, timeoutMs: number): Promise<void> {
    const record = this.accepted(envelope, configId);
    await callDependency('Kafka', timeoutMs, async () => {
      const producer = await this.connected();
      // acks -1: the event is in every in-sync replica before we wait for the projector.
      await producer.send({ topic: this.config.topics.config, acks: -1, messages: [record] });
    });
  }

  /** 400 for what the projector would dead-letter (an event over MAX_EVENT_BYTES, say). */
  private accepted(envelope: CloudEventEnvelope, configId: string): EncodedRecord {
    const { env } = this.config;
    try {
      return encodeAcceptedConfigEvent(envelope, configId, {
        now: new Date(),
        maxClockSkewMs: env.MAX_CLOCK_SKEW,
        maxValueBytes: env.MAX_EVENT_BYTES,
      });
    } catch (error) {
      if (!(error instanceof InvalidRecordError)) throw error;
      const prefix = error.code === 'oversized' ? 'Model config too large: ' : '';
      throw badRequest(`${prefix}${error.message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const producer = await this.producer?.catch(() => null);
    await producer?.disconnect();
  }

  private connected(): Promise<Producer> {
    this.producer ??= this.connect().catch((error: unknown) => {
      this.producer = null; // the next request tries again
      throw error;
    });
    return this.producer;
  }

  private async connect(): Promise<Producer> {
    const { env, topics } = this.config;
    await ensureTopics(this.kafka, [
      { topic: topics.config, partitions: env.CONFIG_TOPIC_PARTITIONS },
    ]);
    const producer = createProducer(this.kafka);
    await producer.connect();
    return producer;
  }
}
