import { RedisClient } from '@app/redis';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { RedisProjectionWriter } from './redis-projection.writer';

/** One RedisProjectionWriter per read-model version, made on first use. */
export class RedisWriters {
  private readonly writers = new Map<number, RedisProjectionWriter>();

  constructor(private readonly redis: RedisClient) {}

  for(version: ReadModelVersion): RedisProjectionWriter {
    let writer = this.writers.get(version.id);
    if (!writer) {
      writer = new RedisProjectionWriter(this.redis, version);
      this.writers.set(version.id, writer);
    }
    return writer;
  }
}
