/**
 * Tests use their own database, Redis db index and key prefix, and topic names unique per
 * suite, so they never touch a developer's data (and refuse to, see assertTestDatabase).
 */
export const TEST_ENV = {
  NODE_ENV: 'test',
  DATABASE_URL:
    process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/usage_ledger_test',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1',
  REDIS_KEY_PREFIX: 'ul-test:',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  POLL_INTERVAL: '200ms',
  KAFKA_SESSION_TIMEOUT: '6s',
  GOVERNANCE_API_KEYS: 'test-key-old,test-key',
  DEMO_DATA: '0',
  RUN_PROJECTOR: '0',
} as const;

export function applyTestEnv(): void {
  Object.assign(process.env, TEST_ENV);
}
