import { Injectable } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { TrackedLimit, windowStartMs } from '@app/governance';
import { BatchApplier } from '@app/ledger';
import { Metrics } from '@app/observability';
import { Gauge } from 'prom-client';
import { EventBatchAppliedEvent } from '../apply-event-batch/event-batch-applied.event';

interface Seen {
  limit: TrackedLimit;
  windowStartMs: number;
  value: bigint;
}

/**
 * `usage_ledger_limit_used_ratio`: usage / max_limit of each limit's CURRENT window, one series
 * per limit this process charged (labels name the limit, never the window, so cardinality is
 * the number of live limits). A window that has ended reads 0 until its successor is charged;
 * a deleted or changed limit's series goes away.
 */
@Injectable()
@EventsHandler(EventBatchAppliedEvent)
export class LimitUsageGauge implements IEventHandler<EventBatchAppliedEvent> {
  private readonly seen = new Map<string, Seen>();

  constructor(
    metrics: Metrics,
    private readonly applier: BatchApplier,
  ) {
    const seen = this.seen;
    new Gauge({
      name: 'usage_ledger_limit_used_ratio',
      help: 'Usage / max_limit of the current window of each budget and rate-limit dimension',
      labelNames: ['model_config_id', 'kind', 'limit_id', 'dimension'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        const now = new Date();
        for (const s of seen.values()) {
          const current = windowStartMs(s.limit, now) === s.windowStartMs;
          const ratio = current ? Number(s.value) / Number(s.limit.maxLimit) : 0;
          this.set(
            {
              model_config_id: s.limit.configId,
              kind: s.limit.kind,
              limit_id: s.limit.limitId,
              dimension: s.limit.dimension,
            },
            ratio,
          );
        }
      },
    });
  }

  handle({ result }: EventBatchAppliedEvent): void {
    const index = this.applier.configIndex();
    for (const change of result.configs) {
      const live = new Set(change.snapshot?.limits.map((l) => l.counterKey) ?? []);
      for (const [key, s] of this.seen) {
        if (s.limit.configId === change.id && !live.has(key)) this.seen.delete(key);
      }
    }
    const now = new Date();
    for (const counter of result.counters) {
      const limit = index.limitOf(counter.counterKey);
      if (!limit) continue;
      const start = counter.windowStart.getTime();
      // Only the current window: a late event's closed window does not move the gauge.
      if (windowStartMs(limit, now) !== start) continue;
      this.seen.set(counter.counterKey, { limit, windowStartMs: start, value: counter.value });
    }
  }
}
