import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { AppliedBatch, BatchApplier, RedisWriters } from '@app/ledger';
import pino from 'pino';
import { PINO } from '../projector.tokens';
import { ApplyEventBatchCommand } from './apply-event-batch.command';
import { EventBatchAppliedEvent } from './event-batch-applied.event';

@CommandHandler(ApplyEventBatchCommand)
export class ApplyEventBatchHandler implements ICommandHandler<ApplyEventBatchCommand> {
  constructor(
    private readonly applier: BatchApplier,
    private readonly redisWriters: RedisWriters,
    private readonly eventBus: EventBus,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {}

  async execute({ batch }: ApplyEventBatchCommand): Promise<AppliedBatch> {
    const started = performance.now();
    // Awaited: the PostgreSQL transaction holds the events, counters and the position.
    const result = await this.applier.apply(batch);
    // Every followed version's own Redis projection (the active one and any rebuild).
    await Promise.all(
      result.versions.map(async (v) => {
        try {
          await this.redisWriters.for(v.version).write(v, this.applier.configIndex(v.version.id));
        } catch (error) {
          // PostgreSQL is the truth and already committed; the resync loop heals Redis.
          this.logger.warn(
            { err: error, topic: batch.topic, readModelVersion: v.version.id },
            'redis projection write failed',
          );
        }
      }),
    );
    this.eventBus.publish(new EventBatchAppliedEvent(result, performance.now() - started));
    return result;
  }
}
