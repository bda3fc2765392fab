import { RedisKeys } from '@app/ledger';
import { createRedisClient, RedisClient } from '@app/redis';
import { Cluster } from 'ioredis';
import { join } from 'path';
import {
  startLocalRedisCluster,
  stopLocalRedisCluster,
} from '../../apps/cli/src/stack/local-redis-cluster';

export interface TestRedisCluster {
  /** REDIS_CLUSTER_NODES for the service under test */
  nodes: string;
  client: Cluster;
  /** deletes every key under `keys` on every master (a cluster has no FLUSHDB of its own) */
  deleteAll: (keys: RedisKeys) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The cluster `npm test` started (TEST_REDIS_CLUSTER_NODES), or, when a suite runs alone, one
 * of its own from the same code (`cli stack redis-cluster up`), stopped again by `close`.
 */
export async function openTestRedisCluster(name: string): Promise<TestRedisCluster> {
  const given = process.env.TEST_REDIS_CLUSTER_NODES;
  const dir = join(process.cwd(), '.stack', `redis-cluster-${name}-${process.pid}`);
  const nodes = given ? given.split(',') : await startLocalRedisCluster(dir);
  const client = clusterClient(
    createRedisClient({ url: 'redis://', clusterNodes: nodes, commandTimeoutMs: 5000 }),
  );
  return {
    nodes: nodes.join(','),
    client,
    deleteAll: async (keys) => {
      for (const node of client.nodes('master')) {
        const found = await node.keys(keys.pattern);
        // One hash tag: every key of the read model is on this one node, in one slot.
        if (found.length > 0) await node.del(...found);
      }
    },
    close: async () => {
      client.disconnect();
      if (!given) await stopLocalRedisCluster(dir);
    },
  };
}

function clusterClient(client: RedisClient): Cluster {
  if (!(client instanceof Cluster)) throw new Error('expected a Redis Cluster client');
  return client;
}
