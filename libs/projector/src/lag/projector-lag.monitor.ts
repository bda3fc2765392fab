import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { KAFKA_CLIENT, partitionOffsets } from '@app/kafka';
import { readPositions } from '@app/ledger';
import { Metrics } from '@app/observability';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../periodic-task';
import { PINO } from '../projector.tokens';

const EVERY_MS = 5_000;

/** Publishes, per partition, how many records are between the log end and the next to apply. */
@Injectable()
export class ProjectorLagMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly every = new PeriodicTask(EVERY_MS, () => this.measure());

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.every.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.every.stop();
  }

  async measure(): Promise<void> {
    const { topics, consumerGroups } = this.config;
    const groups = [
      [topics.config, consumerGroups.config],
      [topics.usage, consumerGroups.usage],
    ];
    try {
      for (const [topic, group] of groups) {
        const ends = await partitionOffsets(this.kafka, topic, 'high');
        const positions = await readPositions(this.dataSource.manager, group, topic);
        for (const [partition, end] of ends) {
          const lag = end - (positions.get(partition) ?? 0n);
          this.metrics.projectorLag.set({ topic, partition: String(partition) }, Number(lag));
        }
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'projector lag not measured this time');
    }
  }
}
