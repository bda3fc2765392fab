import { MAX_ADMISSION_HOLD_MS, parseThresholds } from '@app/governance';
import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `5m`, `30s`, `1500ms`, `90d` or a bare number of milliseconds. */
const durationMs = z.string().transform((value, ctx) => {
  if (/^\d+$/.test(value)) return Number(value);
  const match = DURATION.exec(value);
  if (!match) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be a duration like 500ms, 30s, 5m, 90d',
    });
    return z.NEVER;
  }
  return Number(match[1]) * UNIT_MS[match[2]];
});

/** A duration, or `forever` (null): keep every event. */
const retention = z.union([
  z.literal('forever').transform(() => null),
  durationMs.refine((ms) => ms > 0, 'must be longer than 0 (or forever)'),
]);

/** `50,80,100`: whole percentages 1..1000; an empty list (`none`) turns alerts off. */
const thresholds = z.string().transform((value, ctx) => {
  if (value === 'none') return [];
  const parsed = parseThresholds(value);
  if (parsed === null || parsed.length === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be comma-separated whole percentages 1..1000, like 50,80,100 (or none)',
    });
    return z.NEVER;
  }
  return parsed;
});

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);
const hostPorts = list.refine((nodes) => nodes.every((n) => /^[^\s:,]+:\d{1,5}$/.test(n)), {
  message: 'must be host:port[,host:port...]',
});

/** Every environment variable the service reads. The README's configuration table mirrors it. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(8080),
  PROJECTOR_PORT: port.default(8081),
  RUN_PROJECTOR: flag.default('1'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/usage_ledger'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379/0'),
  /** seed nodes (host:port,...) of a Redis Cluster; when set, REDIS_URL's host and db are unused */
  REDIS_CLUSTER_NODES: hostPorts.default(''),
  REDIS_KEY_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^{}]*$/, 'must not contain { or } (the read model adds its own hash tag)')
    .default('ul:'),
  READ_MODEL_VERSION: positiveInt.default(1),
  KAFKA_BROKERS: list.default('127.0.0.1:19092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('usage-ledger'),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default('usage-ledger-projector'),
  PROJECTOR_CONCURRENCY: positiveInt.default(2),
  /** benchmark baseline only (npm run bench): one usage event per transaction, not batches */
  PROJECTOR_ONE_EVENT_PER_TRANSACTION: flag.default('0'),
  KAFKA_SESSION_TIMEOUT: durationMs.default('10s'),
  USAGE_TOPIC: z.string().min(1).default('governance.usage.v1'),
  CONFIG_TOPIC: z.string().min(1).default('governance.config.v1'),
  DLQ_TOPIC: z.string().min(1).default('governance.dlq.v1'),
  USAGE_TOPIC_PARTITIONS: positiveInt.default(6),
  CONFIG_TOPIC_PARTITIONS: positiveInt.default(1),
  DLQ_TOPIC_PARTITIONS: positiveInt.default(1),
  ALERT_TOPIC: z.string().min(1).default('governance.alerts.v1'),
  ALERT_TOPIC_PARTITIONS: positiveInt.default(1),
  ALERT_THRESHOLDS: thresholds.default('50,80,100'),
  ALERT_PUBLISH_INTERVAL: durationMs.default('500ms'),
  GOVERNANCE_API_KEYS: list.default(''),
  MAX_CLOCK_SKEW: durationMs.default('5m'),
  MAX_EVENT_BYTES: positiveInt.default(65_536),
  POLL_INTERVAL: durationMs.default('1s'),
  /** events older than this are folded into a snapshot and dropped, month by month */
  EVENT_RETENTION: retention.default('forever'),
  /** how often the projector creates partitions ahead and folds and drops old ones */
  EVENT_RETENTION_INTERVAL: durationMs
    .default('10m')
    .refine((ms) => ms >= 100, 'must be at least 100ms'),
  REDIS_FULL_RESYNC_INTERVAL: durationMs.default('60s'),
  READ_YOUR_WRITES_TIMEOUT: durationMs.default('10s'),
  DEPENDENCY_TIMEOUT: durationMs.default('2s'),
  ADMISSION_HOLD: durationMs
    .default('60s')
    .refine((ms) => ms >= 1 && ms <= MAX_ADMISSION_HOLD_MS, 'must be between 1ms and 24h'),
  ADMISSION_FAILURE_MODE: z.enum(['open', 'closed']).default('closed'),
  SHUTDOWN_TIMEOUT: durationMs.default('10s'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  DEMO_DATA: flag.default('1'),
});

export type Env = z.infer<typeof envSchema>;
