import {
  EventType,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { DeadLetterPublisher, ingestKafkaBatch, readPositions } from '@app/ledger';
import { BatchConsumer, PartitionBatch } from '@app/kafka';
import { randomUUID } from 'crypto';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { DecoderSettings, decodeMessage } from '../consume/record-decoder';
import { PartitionRange, readRanges } from './partition-ranges';

export interface KafkaSourceTopic {
  topic: string;
  /** the live projector's consumer group for it: where it stands is where this stops */
  group: string;
  types: readonly EventType[];
}

export interface KafkaIngestOptions {
  /** from the first record at or after this time; default: the earliest retained offset */
  since?: Date;
  maxClockSkewMs: number;
  maxValueBytes: number;
  sessionTimeoutMs: number;
  logger: pino.Logger;
  onBatch?: (progress: KafkaIngestSummary) => void;
}

export interface KafkaIngestSummary {
  ranges: PartitionRange[];
  records: number;
  appended: number;
  duplicates: number;
  already_dead_lettered: number;
  dead_lettered: number;
}

export const configSource = (topic: string, group: string): KafkaSourceTopic => ({
  topic,
  group,
  types: [MODEL_CONFIG_UPSERTED_V1, MODEL_CONFIG_DELETED_V1],
});
export const usageSource = (topic: string, group: string): KafkaSourceTopic => ({
  topic,
  group,
  types: [USAGE_RECORDED_V1],
});

/**
 * `replay build --from kafka`, its first step: the records of each topic, from the earliest
 * retained offset (or `since`) up to where the live projector's group stands, into the event
 * store by the rules of live ingestion (see ingestKafkaBatch). The build then replays the
 * store as usual. Records past the live position are left to the live projector: it applies
 * them to every followed version, the new one included, so nothing is counted twice.
 *
 * Topics go one after the other, configs first, as the projector catches up configs before
 * usage: an ingested usage event is charged against the configs ingested before it.
 */
export async function ingestFromKafka(
  kafka: Kafka,
  ds: DataSource,
  sources: readonly KafkaSourceTopic[],
  publishDeadLetters: DeadLetterPublisher,
  options: KafkaIngestOptions,
): Promise<KafkaIngestSummary> {
  const summary: KafkaIngestSummary = {
    ranges: [],
    records: 0,
    appended: 0,
    duplicates: 0,
    already_dead_lettered: 0,
    dead_lettered: 0,
  };
  for (const source of sources) {
    const live = await readPositions(ds.manager, source.group, source.topic);
    const ranges = await readRanges(kafka, source.topic, live, options.since);
    summary.ranges.push(...ranges);
    if (ranges.every((r) => r.reached)) continue;
    const settings: DecoderSettings = {
      maxClockSkewMs: options.maxClockSkewMs,
      maxValueBytes: options.maxValueBytes,
      expectedTypes: source.types,
    };
    const handle = async (batch: PartitionBatch) => {
      const range = ranges.find((r) => r.partition === batch.partition);
      if (!range || range.reached) return;
      // The consumer may fetch before its seek to `from` took effect (it seeks on joining).
      const messages = batch.messages.filter((m) => {
        const offset = BigInt(m.offset);
        return offset >= range.from && offset < range.to;
      });
      if (messages.length > 0) {
        // Judged at the time the record was written, as the live projector judged it then,
        // so a clock-skew decision does not change with the time of the rebuild.
        const records = messages.map((m) =>
          decodeMessage(m, settings, new Date(Number(m.timestamp))),
        );
        const nextOffset = BigInt(messages[messages.length - 1].offset) + 1n;
        const done = await ingestKafkaBatch(
          ds,
          {
            group: source.group,
            topic: batch.topic,
            partition: batch.partition,
            records,
            nextOffset,
          },
          publishDeadLetters,
        );
        summary.records += messages.length;
        summary.appended += done.appended;
        summary.duplicates += done.duplicates;
        summary.already_dead_lettered += done.alreadyDeadLettered;
        summary.dead_lettered += done.deadLettered.length;
        options.onBatch?.(summary);
      }
      if (batch.nextOffset >= range.to) range.reached = true;
    };
    await consumeRanges(kafka, source.topic, ranges, handle, options);
  }
  return summary;
}

/** A throw-away consumer group over `ranges` until each reached its end; the group is deleted. */
async function consumeRanges(
  kafka: Kafka,
  topic: string,
  ranges: PartitionRange[],
  handle: (batch: PartitionBatch) => Promise<void>,
  options: KafkaIngestOptions,
): Promise<void> {
  const groupId = `usage-ledger-replay-${randomUUID()}`;
  let finished = (): void => undefined;
  const allReached = new Promise<void>((resolve) => (finished = resolve));
  const consumer = new BatchConsumer(kafka, {
    groupId,
    topics: [topic],
    storedPositions: () => Promise.resolve(new Map(ranges.map((r) => [r.partition, r.from]))),
    handle: async (batch) => {
      await handle(batch);
      if (ranges.every((r) => r.reached)) finished();
    },
    logger: options.logger,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  await consumer.start();
  try {
    await allReached;
  } finally {
    await consumer.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined); // only tidiness
    await admin.disconnect();
  }
}
