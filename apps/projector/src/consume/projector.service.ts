import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import {
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { BatchConsumer, ensureTopics, PartitionBatch } from '@app/kafka';
import { readPositions } from '@app/ledger';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { ApplyEventBatchCommand } from '../apply-event-batch/apply-event-batch.command';
import { KAFKA, PINO } from '../projector.tokens';
import { decodeMessage, DecoderSettings } from './record-decoder';

/** Owns the consumer: topics in, one ApplyEventBatchCommand per partition batch. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BatchConsumer | null = null;
  private readonly decoders: Map<string, DecoderSettings>;

  constructor(
    private readonly config: AppConfig,
    private readonly commandBus: CommandBus,
    private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {
    const { env, topics } = config;
    const base = { maxClockSkewMs: env.MAX_CLOCK_SKEW, maxValueBytes: env.MAX_EVENT_BYTES };
    this.decoders = new Map([
      [topics.usage, { ...base, expectedTypes: [USAGE_RECORDED_V1] }],
      [
        topics.config,
        { ...base, expectedTypes: [MODEL_CONFIG_UPSERTED_V1, MODEL_CONFIG_DELETED_V1] },
      ],
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { env, topics } = this.config;
    await ensureTopics(this.kafka, [
      { topic: topics.usage, partitions: env.USAGE_TOPIC_PARTITIONS },
      { topic: topics.config, partitions: env.CONFIG_TOPIC_PARTITIONS },
      { topic: topics.dlq, partitions: env.DLQ_TOPIC_PARTITIONS },
    ]);
    this.consumer = new BatchConsumer(this.kafka, {
      groupId: env.KAFKA_CONSUMER_GROUP,
      topics: [topics.config, topics.usage],
      storedPositions: (topic) =>
        readPositions(this.dataSource.manager, env.KAFKA_CONSUMER_GROUP, topic),
      handle: (batch) => this.handle(batch),
      logger: this.logger,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT,
    });
    await this.consumer.start();
    this.logger.info({ topics: [topics.config, topics.usage] }, 'projector consuming');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(batch: PartitionBatch): Promise<void> {
    const settings = this.decoders.get(batch.topic);
    if (!settings) throw new Error(`No decoder for topic ${batch.topic}`);
    const now = new Date();
    await this.commandBus.execute(
      new ApplyEventBatchCommand({
        group: this.config.env.KAFKA_CONSUMER_GROUP,
        topic: batch.topic,
        partition: batch.partition,
        records: batch.messages.map((m) => decodeMessage(m, settings, now)),
        nextOffset: batch.nextOffset,
      }),
    );
  }
}
