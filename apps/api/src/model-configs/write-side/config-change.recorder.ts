import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CloudEventEnvelope } from '@app/contracts';
import { RedisKeys } from '@app/redis';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ApiError } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';
import { ConfigEventPublisher } from './config-event.publisher';
import { EventProgress, syncStatus } from './sync-status';

const POLL_MS = 25;
export const READ_MODEL_TIMEOUT_MESSAGE =
  'Timed out waiting for the read model to apply the change; it may still be applied';

/**
 * A management command's effect: one config event in the log, answered only once both read
 * models show it (read-your-writes), or a 503 after READ_YOUR_WRITES_TIMEOUT.
 */
@Injectable()
export class ConfigChangeRecorder {
  constructor(
    private readonly publisher: ConfigEventPublisher,
    private readonly dataSource: DataSource,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
  ) {}

  async record(envelope: CloudEventEnvelope, configId: string): Promise<void> {
    const deadline = Date.now() + this.config.env.READ_YOUR_WRITES_TIMEOUT;
    await this.publisher.publish(envelope, configId, this.config.env.READ_YOUR_WRITES_TIMEOUT);
    for (;;) {
      const status = await this.status(envelope, configId).catch(() => null);
      if (status?.state === 'visible') return;
      if (status?.state === 'rejected') throw status.error;
      // A failed poll is retried: a blip must not turn an applied change into an error.
      if (Date.now() + POLL_MS > deadline)
        throw new ApiError('unavailable', READ_MODEL_TIMEOUT_MESSAGE);
      await sleep(POLL_MS);
    }
  }

  private async status(envelope: CloudEventEnvelope, configId: string) {
    const progress = await this.progress(envelope, configId);
    const redisVersion =
      progress.applied && progress.version !== null ? await this.redisVersion(configId) : null;
    return syncStatus(progress, redisVersion);
  }

  private progress({ source, id }: CloudEventEnvelope, configId: string): Promise<EventProgress> {
    return callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, async () => {
      const rows: {
        applied: boolean;
        dead_letter: { code: string; message: string } | null;
        version: string | null;
      }[] = await this.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM event_store WHERE source = $1 AND event_id = $2) AS applied,
                (SELECT json_build_object('code', code, 'message', message) FROM dead_letters
                  WHERE source = $1 AND event_id = $2 ORDER BY id LIMIT 1) AS dead_letter,
                (SELECT version FROM model_configs WHERE id = $3) AS version`,
        [source, id, configId],
      );
      const row = rows[0];
      const version = row.version === null ? null : Number(row.version);
      return { applied: row.applied, deadLetter: row.dead_letter, version };
    });
  }

  private redisVersion(configId: string): Promise<number | null> {
    return callDependency('Redis', this.config.env.DEPENDENCY_TIMEOUT, async () => {
      const version = await this.redis.hget(this.keys.configVersions, configId);
      return version === null ? null : Number(version);
    });
  }
}
