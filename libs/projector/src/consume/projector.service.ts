import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import {
  EventType,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import {
  BatchConsumer,
  ensureTopics,
  partitionOffsets,
  KAFKA_CLIENT,
  PartitionBatch,
} from '@app/kafka';
import { readPositions } from '@app/ledger';
import { Kafka } from 'kafkajs';
import { Metrics } from '@app/observability';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { ApplyEventBatchCommand } from '../apply-event-batch/apply-event-batch.command';
import { PINO } from '../projector.tokens';
import { ConsumerGroupRebalancedEvent } from '../redis-resync/consumer-group-rebalanced.event';
import { decodeMessage } from './record-decoder';

const CONFIG_CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Owns the consumers: one per topic, each turning partition batches into
 * ApplyEventBatchCommands. Configs are caught up before usage is read, so a backlog of usage
 * is charged against the configs that were published before it.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: BatchConsumer[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly commandBus: CommandBus,
    private readonly eventBus: EventBus,
    private readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PINO) private readonly logger: pino.Logger,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { env, topics } = this.config;
    await ensureTopics(this.kafka, this.config.topicSpecs);
    const groups = this.config.consumerGroups;
    await this.consume(
      topics.config,
      groups.config,
      [MODEL_CONFIG_UPSERTED_V1, MODEL_CONFIG_DELETED_V1],
      1,
    );
    await this.caughtUp(topics.config, groups.config);
    await this.consume(topics.usage, groups.usage, [USAGE_RECORDED_V1], env.PROJECTOR_CONCURRENCY);
    this.logger.info({ topics: [topics.config, topics.usage] }, 'projector consuming');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  get activeConsumers(): readonly BatchConsumer[] {
    return this.consumers;
  }

  private async consume(
    topic: string,
    group: string,
    types: EventType[],
    concurrency: number,
  ): Promise<void> {
    let joins = 0;
    const consumer = new BatchConsumer(this.kafka, {
      groupId: group,
      topics: [topic],
      storedPositions: (t) => readPositions(this.dataSource.manager, group, t),
      handle: (batch) => this.handle(batch, group, types),
      logger: this.logger,
      onRetry: (t) => this.metrics.batchRetries.inc({ topic: t }),
      onRestart: () => this.metrics.consumerRestarts.inc({ group }),
      sessionTimeoutMs: this.config.env.KAFKA_SESSION_TIMEOUT,
      concurrency,
      onGroupJoin: () => {
        joins += 1;
        if (joins > 1) this.eventBus.publish(new ConsumerGroupRebalancedEvent(group, new Date()));
      },
    });
    this.consumers.push(consumer);
    await consumer.start();
  }

  /** Waits until every partition's stored position reached the offsets that existed at start. */
  private async caughtUp(topic: string, group: string): Promise<void> {
    const targets = await partitionOffsets(this.kafka, topic, 'high');
    const deadline = Date.now() + CONFIG_CATCH_UP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const positions = await readPositions(this.dataSource.manager, group, topic);
      const behind = [...targets].filter(([p, high]) => (positions.get(p) ?? 0n) < high);
      if (behind.length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    this.logger.warn({ topic }, 'configs not caught up in time; consuming usage anyway');
  }

  private async handle(batch: PartitionBatch, group: string, types: EventType[]): Promise<void> {
    const { env } = this.config;
    const settings = {
      maxClockSkewMs: env.MAX_CLOCK_SKEW,
      maxValueBytes: env.MAX_EVENT_BYTES,
      expectedTypes: types,
    };
    const now = new Date();
    const records = batch.messages.map((m) => decodeMessage(m, settings, now));
    const slice = { group, topic: batch.topic, partition: batch.partition };
    if (!env.PROJECTOR_ONE_EVENT_PER_TRANSACTION || !types.includes(USAGE_RECORDED_V1)) {
      await this.commandBus.execute(
        new ApplyEventBatchCommand({ ...slice, records, nextOffset: batch.nextOffset }),
      );
      return;
    }
    // The benchmark's naive baseline: the same applier and semantics, usage in batches of one
    // (configs still load in batches: they are not what it measures).
    for (const record of records) {
      const nextOffset = BigInt(record.offset) + 1n;
      await this.commandBus.execute(
        new ApplyEventBatchCommand({ ...slice, records: [record], nextOffset }),
      );
    }
  }
}
