import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  ConsumptionProblem,
  consumptionProblems,
  describeGroupMembers,
  KAFKA_CLIENT,
  partitionOffsets,
} from '@app/kafka';
import { readPositions } from '@app/ledger';
import { ConsumptionReadiness } from '@app/observability';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../periodic-task';
import { PINO } from '../projector.tokens';
import { ProjectorService } from './projector.service';

const EVERY_MS = 3_000;

/**
 * Readiness means consuming its own topics. A group id shared with another deployment (other
 * topics, same KAFKA_CONSUMER_GROUP) gives members foreign topics and leaves their own
 * partitions unconsumed: kafkajs only warns, so this watches the group and says what to do.
 */
@Injectable()
export class ConsumptionMonitor
  implements ConsumptionReadiness, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly every = new PeriodicTask(EVERY_MS, () => this.measure());
  private readonly problems = new Map<string, ConsumptionProblem[]>();

  constructor(
    private readonly config: AppConfig,
    private readonly projector: ProjectorService,
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

  async check(): Promise<void> {
    const restarting = this.projector.activeConsumers.filter((c) => c.restartingAfterCrash);
    if (restarting.length > 0) {
      const groups = restarting.map((c) => c.groupId).join(', ');
      throw new Error(
        `not consuming: the consumer of ${groups} stopped on a Kafka error and is being started again`,
      );
    }
    const found = [...this.problems].filter(([, p]) => p.length > 0);
    if (found.length === 0) return;
    throw new Error(
      `not consuming its own topics: ${found.map(([g, p]) => `${g}: ${describe(p)}`).join('; ')}. ${ADVICE}`,
    );
  }

  async measure(): Promise<void> {
    for (const consumer of this.projector.activeConsumers) {
      if (!this.every.running) return; // shutting down
      if (consumer.memberId === null) continue;
      try {
        const members = await describeGroupMembers(this.kafka, consumer.groupId);
        if (members === null) continue; // rebalancing: judge the next stable state
        const lagging = await this.lagging(consumer.groupId, consumer.topics);
        const self = { memberId: consumer.memberId, topics: consumer.topics };
        this.record(consumer.groupId, consumptionProblems(self, members, lagging));
      } catch (error) {
        this.logger.debug({ err: error }, 'consumer group not checked this time');
      }
    }
  }

  private async lagging(group: string, topics: string[]): Promise<Map<string, number[]>> {
    const lagging = new Map<string, number[]>();
    for (const topic of topics) {
      const ends = await partitionOffsets(this.kafka, topic, 'high');
      const positions = await readPositions(this.dataSource.manager, group, topic);
      const behind = [...ends].filter(([p, end]) => end > (positions.get(p) ?? 0n));
      lagging.set(
        topic,
        behind.map(([p]) => p),
      );
    }
    return lagging;
  }

  private record(group: string, problems: ConsumptionProblem[]): void {
    const before = JSON.stringify(this.problems.get(group) ?? []);
    this.problems.set(group, problems);
    if (JSON.stringify(problems) === before) return;
    if (problems.length === 0) {
      this.logger.info({ group }, 'consumer group consuming its own topics again');
      return;
    }
    this.logger.error(
      {
        KAFKA_CONSUMER_GROUP: this.config.env.KAFKA_CONSUMER_GROUP,
        group,
        problems,
        action: ADVICE,
      },
      'consumer group clash: not consuming its own topics',
    );
  }
}

const ADVICE =
  'Another deployment with other topics uses the same KAFKA_CONSUMER_GROUP: give each deployment its own KAFKA_CONSUMER_GROUP (every projector of one deployment shares one)';

function describe(problems: ConsumptionProblem[]): string {
  return problems
    .map((p) =>
      p.kind === 'foreign_topics'
        ? `assigned topics it did not subscribe to (${p.topics.join(', ')})`
        : `partitions ${p.partitions.join(', ')} of ${p.topic} have lag and no consumer`,
    )
    .join(', ');
}
