import { partitionOffsets } from '@app/kafka';
import { Kafka } from 'kafkajs';

/** The offsets `[from, to)` of one partition that a Kafka-sourced build reads. */
export interface PartitionRange {
  topic: string;
  partition: number;
  from: bigint;
  to: bigint;
  reached: boolean;
}

/**
 * Per partition: from the earliest retained offset (or the first record at or after `since`)
 * to the live projector's stored position. A partition the live projector has not consumed
 * yet is left to it (an empty range).
 */
export async function readRanges(
  kafka: Kafka,
  topic: string,
  livePositions: ReadonlyMap<number, bigint>,
  since?: Date,
): Promise<PartitionRange[]> {
  const low = await partitionOffsets(kafka, topic, 'low');
  const high = await partitionOffsets(kafka, topic, 'high');
  const start = since ? await offsetsAt(kafka, topic, since, high) : low;
  return [...low.keys()]
    .sort((a, b) => a - b)
    .map((partition) =>
      rangeOf(topic, partition, {
        low: low.get(partition) ?? 0n,
        high: high.get(partition) ?? 0n,
        start: start.get(partition) ?? 0n,
        live: livePositions.get(partition) ?? null,
      }),
    );
}

/**
 * One partition's range: from `start`, never below the earliest retained offset, to the live
 * position, never past the end of the log. No live position: the live projector has not read
 * the partition yet, so it is left to it.
 */
export function rangeOf(
  topic: string,
  partition: number,
  o: { low: bigint; high: bigint; start: bigint; live: bigint | null },
): PartitionRange {
  const from = max(o.start, o.low);
  const to = max(min(o.live ?? from, o.high), from);
  return { topic, partition, from, to, reached: to <= from };
}

/** The first offset at or after `time` per partition (the end of the log when there is none). */
async function offsetsAt(
  kafka: Kafka,
  topic: string,
  time: Date,
  high: ReadonlyMap<number, bigint>,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, time.getTime());
    return new Map(
      offsets.map((o) => {
        const offset = BigInt(o.offset);
        return [o.partition, offset < 0n ? (high.get(o.partition) ?? 0n) : offset];
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
