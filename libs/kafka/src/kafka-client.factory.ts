import { Kafka, logLevel, LogEntry, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import pino from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: pino.Logger;
  /** connection retries before a call fails (default 8, about a minute) */
  retries?: number;
}

/** kafkajs behind one factory: its logs go to our structured logger. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const logger = options.logger ?? pino({ level: 'warn' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: options.retries ?? 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger[LEVELS[level] ?? 'info']({ namespace, ...extra }, `kafka: ${message}`);
      },
  });
}

/**
 * Producers never create topics, and use kafkajs's default (murmur2, Java-compatible)
 * partitioner explicitly, so a key lands on the same partition as with any other client.
 */
export function createProducer(kafka: Kafka, options: ProducerConfig = {}): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    ...options,
  });
}
