import { createRedisClient } from '@app/redis';
import { reasonOf, ServiceReport } from './service-report';

const TIMEOUT_MS = 3000;

/** Redis (a single server at `url`, or the cluster of `clusterNodes`) answers PING. */
export async function checkRedis(
  url: string,
  clusterNodes: readonly string[],
): Promise<ServiceReport> {
  const where = clusterNodes.length > 0 ? `cluster ${clusterNodes.join(',')}` : hostPort(url);
  const redis = createRedisClient({ url, clusterNodes, commandTimeoutMs: TIMEOUT_MS });
  redis.on('error', () => undefined); // the failed PING below says it once
  try {
    await redis.ping();
    return { service: 'redis', up: true, detail: where };
  } catch (error) {
    return {
      service: 'redis',
      up: false,
      detail: `${where}: ${reasonOf(error)} (start Redis, e.g. 'sudo service redis-server start', or point REDIS_URL / REDIS_CLUSTER_NODES at a running server)`,
    };
  } finally {
    redis.disconnect();
  }
}

function hostPort(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}
