import { AppConfig } from '@app/config';
import { createKafka, createProducer, ensureTopics } from '@app/kafka';
import { Producer } from 'kafkajs';

/** What a producing command gets: a connected producer and whether it was asked to stop. */
export interface ProducerSession {
  producer: Producer;
  /** true once SIGINT or SIGTERM arrived: finish the current send, then return */
  stopped: () => boolean;
}

/**
 * The setup every producing command shares: the project's topics exist, one connected
 * producer, SIGINT/SIGTERM turned into a polite stop, and the producer disconnected however
 * the work ends.
 */
export async function withProducer<T>(
  config: AppConfig,
  clientId: string,
  work: (session: ProducerSession) => Promise<T>,
): Promise<T> {
  const kafka = createKafka({ brokers: config.env.KAFKA_BROKERS, clientId });
  await ensureTopics(kafka, config.topicSpecs);
  const producer = createProducer(kafka);
  await producer.connect();
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    return await work({ producer, stopped: () => stopped });
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await producer.disconnect();
  }
}
