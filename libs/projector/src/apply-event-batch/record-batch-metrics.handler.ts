import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { Metrics } from '@app/observability';
import { EventBatchAppliedEvent } from './event-batch-applied.event';

@EventsHandler(EventBatchAppliedEvent)
export class RecordBatchMetricsHandler implements IEventHandler<EventBatchAppliedEvent> {
  constructor(private readonly metrics: Metrics) {}

  handle({ result, durationMs }: EventBatchAppliedEvent): void {
    this.metrics.eventsApplied.inc({ topic: result.topic }, result.applied);
    if (result.duplicates > 0)
      this.metrics.duplicates.inc({ topic: result.topic }, result.duplicates);
    for (const letter of result.deadLetters)
      this.metrics.deadLetters.inc({ code: letter.reason.code });
    this.metrics.batchDuration.observe(durationMs / 1000);
  }
}
