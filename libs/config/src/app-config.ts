import { Env, envSchema } from './env.schema';

/** The one typed configuration object. Built once at boot; nothing else reads process.env. */
/** The DLQ topic's max.message.bytes when the ledger creates it. */
export const DLQ_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export class AppConfig {
  private constructor(readonly env: Env) {}

  static fromEnv(source: NodeJS.ProcessEnv = process.env): AppConfig {
    const parsed = envSchema.safeParse(withoutBlanks(source));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new InvalidConfigError(problems);
    }
    return new AppConfig(parsed.data);
  }

  /** One consumer group per topic, so configs can be caught up before usage is read. */
  get consumerGroups(): { usage: string; config: string } {
    const base = this.env.KAFKA_CONSUMER_GROUP;
    return { usage: `${base}.usage`, config: `${base}.config` };
  }

  /** Every topic with the partition count it is created with (existing topics are kept). */
  get topicSpecs(): { topic: string; partitions: number; config?: Record<string, string> }[] {
    const { env, topics } = this;
    return [
      { topic: topics.usage, partitions: env.USAGE_TOPIC_PARTITIONS },
      { topic: topics.config, partitions: env.CONFIG_TOPIC_PARTITIONS },
      // Room for any record the source topics accept at the broker's default limit (1 MiB)
      // plus the dlq_* headers: dead letters keep the original bytes whole.
      {
        topic: topics.dlq,
        partitions: env.DLQ_TOPIC_PARTITIONS,
        config: { 'max.message.bytes': String(DLQ_MAX_MESSAGE_BYTES) },
      },
      { topic: topics.alerts, partitions: env.ALERT_TOPIC_PARTITIONS },
    ];
  }

  get topics(): { usage: string; config: string; dlq: string; alerts: string } {
    const { env } = this;
    return {
      usage: env.USAGE_TOPIC,
      config: env.CONFIG_TOPIC,
      dlq: env.DLQ_TOPIC,
      alerts: env.ALERT_TOPIC,
    };
  }
}

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

// An exported-but-empty variable means "use the default", as in most twelve-factor services.
function withoutBlanks(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
