import { readFileSync } from 'fs';
import Redis from 'ioredis';
import { ProjectorProcess } from '../../test/support/projector-process';
import { BenchSettings } from '../runner/scenario';
import { BenchTopics } from './bench-topics';

export { ProjectorProcess };

/** The environment of a bench projector (or API) process: bench database, topics, prefix. */
export function serviceEnv(
  settings: BenchSettings,
  topics: BenchTopics,
  group: string,
  redisPrefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    KAFKA_BROKERS: settings.brokers.join(','),
    USAGE_TOPIC: topics.usage,
    CONFIG_TOPIC: topics.config,
    DLQ_TOPIC: topics.dlq,
    ALERT_TOPIC: topics.alerts,
    KAFKA_CONSUMER_GROUP: group,
    KAFKA_SESSION_TIMEOUT: '6s',
    DEMO_DATA: '0',
    ...extra,
  };
}

/**
 * Resident memory of a process from /proc (Linux): `peak` is the kernel's high-water mark
 * (VmHWM), so no sampling can miss a spike.
 */
export function memoryMb(pid: number): { current: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { current: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux). On a
 * shared machine a rate moves with the neighbours' load; the CPU each request costs does not.
 */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_S = 100;

/** CPU time the Redis server has used so far, in ms (every client's, not only a bench's). */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}
