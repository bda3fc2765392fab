import { RedisClient } from '@app/redis';

/**
 * The Redis copy of which read-model version is active: what the `from_memory=true` path
 * follows, since it must never touch PostgreSQL. Its own hash tag, so it never joins a version's
 * slot. `replay switch` writes it after the registry commit; absent, readers keep the version
 * they have (at boot: the registry's, or READ_MODEL_VERSION).
 */
export function activePointerKey(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix}registry}:active`;
}

export async function readActivePointer(
  redis: RedisClient,
  redisKeyPrefix: string,
): Promise<number | null> {
  const raw = await redis.get(activePointerKey(redisKeyPrefix));
  const id = raw === null ? NaN : Number(raw);
  return Number.isInteger(id) && id >= 1 ? id : null;
}

export async function writeActivePointer(
  redis: RedisClient,
  redisKeyPrefix: string,
  id: number,
): Promise<void> {
  await redis.set(activePointerKey(redisKeyPrefix), String(id));
}

/** Sets the pointer only when it is missing (a flushed Redis); `replay switch` always sets. */
export async function restoreActivePointer(
  redis: RedisClient,
  redisKeyPrefix: string,
  id: number,
): Promise<void> {
  await redis.set(activePointerKey(redisKeyPrefix), String(id), 'NX');
}
