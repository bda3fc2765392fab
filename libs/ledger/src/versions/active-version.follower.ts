import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RedisClient } from '@app/redis';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { readActivePointer } from './active-pointer';
import { VersionRegistry } from './version-registry';
import { VersionSource } from './version-source';

/** The active version as the PostgreSQL registry says (the PostgreSQL ports read through it). */
export const ACTIVE_VERSION_IN_POSTGRES = Symbol('ActiveVersionInPostgres');
/** The active version as the Redis pointer says (the Redis ports: never PostgreSQL). */
export const ACTIVE_VERSION_IN_REDIS = Symbol('ActiveVersionInRedis');

/**
 * Follows the active read-model version without a restart: polls where it is recorded every
 * interval and serves the last one seen. Until the first poll answers (or while the store is
 * away) it keeps the version it has, READ_MODEL_VERSION at boot.
 */
export class ActiveVersionFollower
  implements VersionSource, OnApplicationBootstrap, OnApplicationShutdown
{
  private version: ReadModelVersion;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    initial: ReadModelVersion,
    private readonly lookUp: () => Promise<ReadModelVersion | null>,
    private readonly intervalMs: number,
  ) {
    this.version = initial;
  }

  /** The PostgreSQL path: the registry's active row. */
  static ofRegistry(
    registry: VersionRegistry,
    initial: ReadModelVersion,
    intervalMs: number,
  ): ActiveVersionFollower {
    return new ActiveVersionFollower(initial, () => registry.active(), intervalMs);
  }

  /** The `from_memory=true` path: the Redis pointer only, never PostgreSQL. */
  static ofRedisPointer(
    redis: RedisClient,
    registry: VersionRegistry,
    redisKeyPrefix: string,
    initial: ReadModelVersion,
    intervalMs: number,
  ): ActiveVersionFollower {
    return new ActiveVersionFollower(
      initial,
      async () => {
        const id = await readActivePointer(redis, redisKeyPrefix);
        return id === null ? null : registry.version(id);
      },
      intervalMs,
    );
  }

  current(): ReadModelVersion {
    return this.version;
  }

  /** One look-up now; errors keep the version held (the next poll tries again). */
  async refresh(): Promise<ReadModelVersion> {
    try {
      const found = await this.lookUp();
      if (found && found.id !== this.version.id) this.version = found;
    } catch {
      // the store is away: keep serving the version we have
    }
    return this.version;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.refresh().then(() => undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
  }
}
