import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  ReadModelVersion,
  RedisResync,
  RedisWriters,
  restoreActivePointer,
  VersionRegistry,
} from '@app/ledger';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { Metrics } from '@app/observability';
import pino from 'pino';
import { PINO } from '../projector.tokens';

/**
 * The poll cycle: every POLL_INTERVAL Redis is compared with PostgreSQL and healed if behind
 * (a lost write, a restart, a FLUSHALL); every REDIS_FULL_RESYNC_INTERVAL it is rewritten whole.
 * Every followed read-model version (the active one and any rebuild kept current beside it)
 * is healed on its own, read from the registry each cycle.
 */
@Injectable()
export class RedisResyncLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly resyncs = new Map<number, { resync: RedisResync; lastFull: number }>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly registry: VersionRegistry,
    private readonly writers: RedisWriters,
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

  /**
   * A member of the group may have died at `atMs` or later between its PostgreSQL commit and its
   * Redis write (see ConsumerGroupRebalancedEvent): each version's next cycle copies what
   * changed since then, or rewrites Redis whole if this process has no record that old.
   */
  suspectLostWrites(atMs: number): void {
    for (const entry of this.resyncs.values()) {
      if (!entry.resync.suspectLostSince(atMs)) entry.lastFull = 0;
    }
  }

  async tick(): Promise<void> {
    let versions: ReadModelVersion[];
    try {
      const followed = await this.registry.followed();
      versions = followed.all;
      // A flushed Redis lost the pointer the from_memory path follows: put it back.
      await restoreActivePointer(this.redis, this.config.env.REDIS_KEY_PREFIX, followed.active.id);
    } catch (error) {
      this.logger.warn({ err: error }, 'redis resync failed; retrying next cycle');
      return;
    }
    for (const id of this.resyncs.keys()) {
      if (!versions.some((v) => v.id === id)) this.resyncs.delete(id);
    }
    for (const version of versions) await this.heal(version);
  }

  private async heal(version: ReadModelVersion): Promise<void> {
    let entry = this.resyncs.get(version.id);
    if (!entry) {
      const writer = this.writers.for(version);
      entry = {
        resync: new RedisResync(this.dataSource, this.redis, version, writer),
        lastFull: 0,
      };
      this.resyncs.set(version.id, entry);
    }
    const full = Date.now() - entry.lastFull >= this.config.env.REDIS_FULL_RESYNC_INTERVAL;
    try {
      const kind = await entry.resync.run(full);
      if (kind === 'full') entry.lastFull = Date.now();
      if (kind !== 'none') this.metrics.redisResyncs.inc({ kind });
    } catch (error) {
      this.logger.warn(
        { err: error, readModelVersion: version.id },
        'redis resync failed; retrying next cycle',
      );
    }
  }
}
