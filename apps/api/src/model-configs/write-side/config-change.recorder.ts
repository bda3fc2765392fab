import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CloudEventEnvelope } from '@app/contracts';
import { ChangeProgressReader } from '@app/ledger';
import { setTimeout as sleep } from 'node:timers/promises';
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
    private readonly progressReader: ChangeProgressReader,
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
    return callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.progressReader.inPostgres({ source, id }, configId),
    );
  }

  private redisVersion(configId: string): Promise<number | null> {
    return callDependency('Redis', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.progressReader.versionInRedis(configId),
    );
  }
}
