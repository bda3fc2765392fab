import {
  Consumer,
  ConsumerCrashEvent,
  ConsumerGroupJoinEvent,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
} from 'kafkajs';
import pino from 'pino';
import { partitionOffsets } from './topic-admin';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** the offset after the last message of the batch */
  nextOffset: bigint;
}

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  /** where the service's own store says each partition resumes (PostgreSQL, not Kafka) */
  storedPositions: (topic: string) => Promise<Map<number, bigint>>;
  handle: (batch: PartitionBatch) => Promise<void>;
  logger: pino.Logger;
  /** how long a crashed member holds its partitions before the group moves them */
  sessionTimeoutMs: number;
  /** partitions handled at once: overlaps one batch's decoding with another's database work */
  concurrency?: number;
  /** told of every failed attempt before it is retried */
  onRetry?: (topic: string, error: unknown) => void;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** told each time this member joined the group (a first join or a rejoin after a rebalance) */
  onGroupJoin?: (memberId: string) => void;
  /** told when kafkajs gave up on the consumer and it is started again (see restartAfterCrash) */
  onRestart?: (error: unknown) => void;
  /** the first wait before such a restart (doubles up to RESTART_MAX_MS) */
  restartInitialMs?: number;
}

const RESTART_MAX_MS = 30_000;

/**
 * Consumes whole batches. A failing batch (database down, DLQ unreachable) is retried in place
 * with backoff while heartbeating, so it pauses its partition instead of skipping records.
 * Kafka offsets are committed only after the handler succeeded and are only a convenience:
 * on every assignment the consumer seeks to the positions stored by the service.
 */
export class BatchConsumer {
  private consumer: Consumer | null = null;
  /** this member's id in the group, once it joined; null while it is not a member */
  memberId: string | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> | null = null;
  private restartsInARow = 0;
  /** kafkajs gave up on the consumer and it is being started again (not yet a member) */
  restartingAfterCrash = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchConsumerOptions,
  ) {}

  async start(): Promise<void> {
    this.stopping = false;
    await this.run();
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.options.sessionTimeoutMs / 10)),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) => {
      this.memberId = event.payload.memberId;
      this.restartsInARow = 0;
      this.restartingAfterCrash = false;
      this.options.onGroupJoin?.(event.payload.memberId);
      this.seekToStoredPositions(consumer, event.payload.memberAssignment).catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'seek to stored positions failed'),
      );
    });
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => {
      if (event.payload.restart || this.stopping || this.consumer !== consumer) return;
      this.restartAfterCrash(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  // kafkajs restarts a crashed consumer only when it deems the error retriable. Some outages
  // end in errors it does not: a broker stopped while the group rejoins ends in "Failed to find
  // group coordinator" once its retries ran out, and the consumer then stays stopped for good
  // while the process looks alive (seen in the broker-restart fault scenario). Whatever the
  // error, a consumer we did not stop is started again, with backoff, until it is a member.
  private restartAfterCrash(error: unknown): void {
    this.memberId = null;
    this.restartingAfterCrash = true;
    const delay = Math.min(
      (this.options.restartInitialMs ?? 1000) * 2 ** this.restartsInARow,
      RESTART_MAX_MS,
    );
    this.restartsInARow += 1;
    this.options.onRestart?.(error);
    this.options.logger.error(
      { err: error, groupId: this.options.groupId, restartInMs: delay },
      'consumer stopped on an error kafkajs does not retry; starting it again',
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restarting = this.restart().finally(() => (this.restarting = null));
    }, delay);
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    if (this.stopping) return;
    try {
      await this.run();
    } catch (error) {
      if (!this.stopping) this.restartAfterCrash(error);
    }
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): string[] {
    return this.options.topics;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.restarting;
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const partitionBatch: PartitionBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      nextOffset: BigInt(batch.lastOffset()) + 1n,
    };
    let delay = this.options.retryInitialMs ?? 200;
    for (;;) {
      if (!payload.isRunning() || payload.isStale()) return;
      try {
        await this.options.handle(partitionBatch);
        break;
      } catch (error) {
        this.options.onRetry?.(batch.topic, error);
        this.options.logger.error(
          { err: error, topic: batch.topic, partition: batch.partition, retryInMs: delay },
          'batch failed; retrying',
        );
        await this.waitHeartbeating(payload, delay);
        delay = Math.min(delay * 2, this.options.retryMaxMs ?? 5000);
      }
    }
    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
  }

  // The group must keep seeing this member while it waits out an outage, or it would take the
  // partition away and hand it to a member that fails the same way. A heartbeat that answers
  // "rebalancing" is thrown on: kafkajs rejoins only once every eachBatch in flight returned, so
  // a batch retrying through a rebalance would hold the whole group (every member waits up to
  // the rebalance timeout, then this one is dropped). The unresolved batch is read again from
  // the stored position after the rejoin.
  private async waitHeartbeating(payload: EachBatchPayload, ms: number): Promise<void> {
    for (let waited = 0; waited < ms && payload.isRunning(); waited += 1000) {
      await payload.heartbeat().catch((error: unknown) => {
        if (isRebalancing(error)) throw error;
      });
      await sleep(Math.min(1000, ms - waited));
    }
  }

  private async seekToStoredPositions(
    consumer: Consumer,
    assignment: Record<string, number[]>,
  ): Promise<void> {
    for (const [topic, partitions] of Object.entries(assignment)) {
      const stored = await this.options.storedPositions(topic);
      const low = await partitionOffsets(this.kafka, topic, 'low');
      for (const partition of partitions) {
        const offset = (stored.get(partition) ?? low.get(partition) ?? 0n).toString();
        consumer.seek({ topic, partition, offset });
      }
    }
  }
}

/** kafkajs's own test (errors.isRebalancing), which it does not export. */
export function isRebalancing(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return (
    type === 'REBALANCE_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'ILLEGAL_GENERATION'
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
