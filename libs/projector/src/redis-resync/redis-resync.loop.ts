import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisResync } from '@app/ledger';
import { Metrics } from '@app/observability';
import pino from 'pino';
import { PINO } from '../projector.tokens';

/**
 * The poll cycle: every POLL_INTERVAL Redis is compared with PostgreSQL and healed if behind
 * (a lost write, a restart, a FLUSHALL); every REDIS_FULL_RESYNC_INTERVAL it is rewritten whole.
 */
@Injectable()
export class RedisResyncLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private lastFull = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly resync: RedisResync,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.config.env.POLL_INTERVAL);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    const full = Date.now() - this.lastFull >= this.config.env.REDIS_FULL_RESYNC_INTERVAL;
    try {
      const kind = await this.resync.run(full);
      if (kind === 'full') this.lastFull = Date.now();
      if (kind !== 'none') this.metrics.redisResyncs.inc({ kind });
    } catch (error) {
      this.logger.warn({ err: error }, 'redis resync failed; retrying next cycle');
    }
  }
}
