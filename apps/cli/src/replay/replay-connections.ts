import { AppConfig } from '@app/config';
import { createDataSource } from '@app/database';
import { VersionRegistry } from '@app/ledger';
import { createRedisClient, RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';

export interface ReplayConnections {
  ds: DataSource;
  redis: RedisClient;
  registry: VersionRegistry;
}

/** PostgreSQL, Redis and the version registry for one `replay` verb; closed after it. */
export async function withReplayConnections<T>(
  config: AppConfig,
  work: (c: ReplayConnections) => Promise<T>,
): Promise<T> {
  const env = config.env;
  // The build's lock session, its chunk transaction and its read-ahead each hold a connection.
  const ds = await createDataSource({
    url: env.DATABASE_URL,
    poolSize: 4,
    connectTimeoutMs: env.DEPENDENCY_TIMEOUT,
    applicationName: 'usage-ledger-replay',
  }).initialize();
  const redis = createRedisClient({
    url: env.REDIS_URL,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    commandTimeoutMs: env.DEPENDENCY_TIMEOUT,
  });
  try {
    return await work({
      ds,
      redis,
      registry: new VersionRegistry(ds.manager, env.REDIS_KEY_PREFIX),
    });
  } finally {
    redis.disconnect();
    await ds.destroy();
  }
}
