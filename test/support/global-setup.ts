// globalSetup gets no moduleNameMapper: import the files themselves, not the alias.
import { assertTestDatabase } from '../../libs/database/src/ensure-database';
import { runMigrations } from '../../libs/database/src/run-migrations';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createConnection } from 'net';
import { clearTestRedis } from './test-read-model';
import { applyTestEnv, TEST_ENV } from './test-env';

/** Once per run: a fresh test database at the newest migration, an empty Redis test prefix. */
export default async function globalSetup(): Promise<void> {
  applyTestEnv();
  assertTestDatabase(TEST_ENV.DATABASE_URL);
  await recreateDatabase(TEST_ENV.DATABASE_URL);
  await runMigrations(TEST_ENV.DATABASE_URL);
  const redis = new Redis(TEST_ENV.REDIS_URL);
  await clearTestRedis(redis);
  redis.disconnect();
  await assertReachable(TEST_ENV.KAFKA_BROKERS.split(',')[0]);
}

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

function assertReachable(hostPort: string): Promise<void> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port: Number(port) }, () => {
      socket.end();
      resolve();
    });
    socket.on('error', () =>
      reject(new Error(`Kafka is not reachable at ${hostPort}: run "npm run stack -- up" first`)),
    );
  });
}
