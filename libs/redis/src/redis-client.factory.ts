import Redis, { Cluster } from 'ioredis';

/** A single Redis server or a Redis Cluster: everything that takes a client works with either. */
export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  /** a single server; with `clusterNodes`, only its user and password are used */
  url: string;
  /** seed nodes (`host:port`) of a Redis Cluster; empty: the single server at `url` */
  clusterNodes: readonly string[];
  commandTimeoutMs: number;
}

/**
 * The longest wait between two reconnection attempts. A restarted Redis is reached again
 * within it, so the read model is rebuilt within one poll cycle after that (POLL_INTERVAL).
 */
export const RECONNECT_MAX_MS = 500;

/**
 * Commands fail fast while Redis is away instead of queueing without bound: callers decide
 * whether to retry (projector) or answer 503 (API). No auto-pipelining: it saved socket writes
 * under load, but one bad pipeline breaks an ioredis 5 client for good. Seen in a fresh-clone
 * CI run (the 500-racers admission test, then every admission answered 503): a script defined
 * while a pipeline was open behind a slow Redis was missing from that pipeline, its callbacks
 * and results no longer lined up, it threw "results[i] is not iterable", and every later
 * command waited (redis/ioredis#1931; the trigger is gone, see AdmissionLedger, and
 * api-admissions-redis-down.e2e-spec.ts replays it). Admission meets its targets without it.
 */
export function createRedisClient(c: RedisConnection): RedisClient {
  const options = {
    commandTimeout: c.commandTimeoutMs,
    connectTimeout: c.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
  };
  const retry = (attempt: number) => Math.min(attempt * 200, RECONNECT_MAX_MS);
  if (c.clusterNodes.length === 0) return new Redis(c.url, { ...options, retryStrategy: retry });
  const { username, password } = new URL(c.url);
  return new Cluster(c.clusterNodes.map(seedNode), {
    redisOptions: {
      ...options,
      username: decodeURIComponent(username) || undefined,
      password: decodeURIComponent(password) || undefined,
    },
    clusterRetryStrategy: retry,
    enableOfflineQueue: true,
    slotsRefreshTimeout: c.commandTimeoutMs,
  });
}

function seedNode(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
}
