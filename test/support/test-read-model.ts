// Relative imports only: globalSetup (no path aliases) uses this too.
import Redis from 'ioredis';
import { ReadModelVersion } from '../../libs/ledger/src/read-model-version/read-model-version';
import { VersionRegistry } from '../../libs/ledger/src/versions/version-registry';
import { TEST_ENV } from './test-env';

/** The read-model version the suites run against (the default, version 1). */
export const TEST_READ_MODEL = new ReadModelVersion(1, TEST_ENV.REDIS_KEY_PREFIX);

/** The registry of the test database, with the test key prefix. */
export function testRegistry(
  db: ConstructorParameters<typeof VersionRegistry>[0],
): VersionRegistry {
  return new VersionRegistry(db, TEST_ENV.REDIS_KEY_PREFIX);
}

/** Deletes every key of every read-model version under the test prefix. */
export async function clearTestRedis(redis: Redis): Promise<void> {
  for (const pattern of [`{${TEST_ENV.REDIS_KEY_PREFIX}*`, `${TEST_ENV.REDIS_KEY_PREFIX}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}
