import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EventRetention, RetentionOutcome } from '@app/ledger';
import { Metrics } from '@app/observability';
import pino from 'pino';
import { PINO } from '../projector.tokens';

/**
 * Runs the retention job (partitions ahead; with EVENT_RETENTION, fold old months into the
 * snapshot and drop them) at boot and every EVENT_RETENTION_INTERVAL. Every instance runs the
 * loop; a PostgreSQL advisory lock lets one of them do the work. A failed run is logged and
 * retried by the next one: the job resumes where it stopped.
 */
@Injectable()
export class EventRetentionLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly retention: EventRetention,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.tick();
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.config.env.EVENT_RETENTION_INTERVAL);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    try {
      const outcome = await this.retention.run(this.config.env.EVENT_RETENTION, new Date());
      this.measure(outcome);
      if (outcome.droppedPartitions.length > 0 || outcome.droppedDefaultRows > 0) {
        this.logger.info(
          outcome,
          'event retention: old events folded into the snapshot and dropped',
        );
      } else if (outcome.heldBack) {
        this.logger.info(outcome, 'event retention: old months kept for now');
      }
    } catch (error) {
      this.metrics.retentionRuns.inc({ outcome: 'failed' });
      this.logger.warn({ err: error }, 'event retention failed; the next run resumes it');
    }
  }

  private measure(outcome: RetentionOutcome): void {
    const m = this.metrics;
    m.retentionRuns.inc({ outcome: runOutcome(outcome) });
    if (!outcome.ran) return;
    m.retentionPartitionsDropped.inc(outcome.droppedPartitions.length);
    m.retentionBoundary.set((outcome.boundary?.getTime() ?? 0) / 1000);
    m.retentionSnapshotSeq.set(outcome.snapshotSeq);
  }
}

function runOutcome(o: RetentionOutcome): string {
  if (!o.ran) return 'other_instance';
  if (o.droppedPartitions.length > 0 || o.droppedDefaultRows > 0) return 'dropped';
  return o.heldBack ? 'held_back' : 'nothing_to_drop';
}
