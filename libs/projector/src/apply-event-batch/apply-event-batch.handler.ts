import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { AppliedBatch, BatchApplier, RedisProjectionWriter } from '@app/ledger';
import pino from 'pino';
import { PINO } from '../projector.tokens';
import { ApplyEventBatchCommand } from './apply-event-batch.command';
import { EventBatchAppliedEvent } from './event-batch-applied.event';

@CommandHandler(ApplyEventBatchCommand)
export class ApplyEventBatchHandler implements ICommandHandler<ApplyEventBatchCommand> {
  constructor(
    private readonly applier: BatchApplier,
    private readonly redisWriter: RedisProjectionWriter,
    private readonly eventBus: EventBus,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {}

  async execute({ batch }: ApplyEventBatchCommand): Promise<AppliedBatch> {
    const started = performance.now();
    // Awaited: the PostgreSQL transaction holds the events, counters and the position.
    const result = await this.applier.apply(batch);
    try {
      await this.redisWriter.write(result, this.applier.configIndex());
    } catch (error) {
      // PostgreSQL is the truth and already committed; the resync loop heals Redis.
      this.logger.warn({ err: error, topic: batch.topic }, 'redis projection write failed');
    }
    this.eventBus.publish(new EventBatchAppliedEvent(result, performance.now() - started));
    return result;
  }
}
