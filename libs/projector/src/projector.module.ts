import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import { createProducer, KAFKA_CLIENT } from '@app/kafka';
import { AlertOutbox, BatchApplier, EventRetention, VersionRegistry } from '@app/ledger';
import { CONSUMPTION_READINESS, createLogger } from '@app/observability';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ApplyEventBatchHandler } from './apply-event-batch/apply-event-batch.handler';
import { RecordBatchMetricsHandler } from './apply-event-batch/record-batch-metrics.handler';
import { deadLetterPublisher } from './consume/dead-letter.publisher';
import { ProjectorService } from './consume/projector.service';
import { DLQ_PRODUCER, PINO } from './projector.tokens';
import { RedisResyncLoop } from './redis-resync/redis-resync.loop';
import { HealAfterRebalanceHandler } from './redis-resync/heal-after-rebalance.handler';
import { DlqProducerLifecycle } from './consume/dlq-producer.lifecycle';
import { ProjectorLagMonitor } from './lag/projector-lag.monitor';
import { ConsumptionMonitor } from './consume/consumption.monitor';
import { AlertPublisherLoop } from './alerts/alert-publisher.loop';
import { LimitUsageGauge } from './alerts/limit-usage.gauge';
import { EventRetentionLoop } from './retention/event-retention.loop';

/**
 * The write side: Kafka -> commands -> PostgreSQL (one transaction per batch) -> Redis.
 * Needs ConfigModule, DatabaseModule, RedisModule, LedgerModule and ObservabilityModule from
 * its host.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    {
      provide: PINO,
      inject: [AppConfig],
      useFactory: (c: AppConfig) =>
        createLogger({ level: c.env.LOG_LEVEL, format: c.env.LOG_FORMAT }),
    },
    {
      provide: DLQ_PRODUCER,
      inject: [KAFKA_CLIENT],
      useFactory: async (kafka: Kafka) => {
        const producer = createProducer(kafka);
        await producer.connect();
        return producer;
      },
    },
    {
      provide: BatchApplier,
      inject: [DataSource, VersionRegistry, DLQ_PRODUCER, AppConfig],
      useFactory: (ds: DataSource, r: VersionRegistry, producer: Producer, c: AppConfig) =>
        new BatchApplier(
          ds,
          r,
          deadLetterPublisher(producer, c.topics.dlq),
          c.env.ALERT_THRESHOLDS,
        ),
    },
    {
      provide: AlertOutbox,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new AlertOutbox(ds),
    },
    {
      provide: EventRetention,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, c: AppConfig) => new EventRetention(ds, c.env.REDIS_KEY_PREFIX),
    },
    EventRetentionLoop,
    AlertPublisherLoop,
    LimitUsageGauge,
    ApplyEventBatchHandler,
    RecordBatchMetricsHandler,
    ProjectorService,
    RedisResyncLoop,
    HealAfterRebalanceHandler,
    DlqProducerLifecycle,
    ProjectorLagMonitor,
    ConsumptionMonitor,
    { provide: CONSUMPTION_READINESS, useExisting: ConsumptionMonitor },
  ],
  exports: [CONSUMPTION_READINESS],
})
export class ProjectorModule {}
