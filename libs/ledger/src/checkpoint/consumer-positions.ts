import { EntityManager } from 'typeorm';

export interface PartitionRef {
  group: string;
  topic: string;
  partition: number;
}

/**
 * Next offset to apply for a partition (null if never applied), locked until commit: a zombie
 * instance still working on a partition after a rebalance waits here and then skips what the
 * new owner applied.
 */
export async function lockPosition(m: EntityManager, ref: PartitionRef): Promise<bigint | null> {
  const rows: { next_offset: string }[] = await m.query(
    `SELECT next_offset FROM consumer_positions
      WHERE consumer_group = $1 AND topic = $2 AND partition = $3
        FOR UPDATE`,
    [ref.group, ref.topic, ref.partition],
  );
  return rows.length === 0 ? null : BigInt(rows[0].next_offset);
}

export async function readPositions(
  m: EntityManager,
  group: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const rows: { partition: number; next_offset: string }[] = await m.query(
    `SELECT partition, next_offset FROM consumer_positions WHERE consumer_group = $1 AND topic = $2`,
    [group, topic],
  );
  return new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
}

export async function savePosition(
  m: EntityManager,
  ref: PartitionRef,
  nextOffset: bigint,
): Promise<void> {
  await m.query(
    `INSERT INTO consumer_positions (consumer_group, topic, partition, next_offset)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (consumer_group, topic, partition)
     DO UPDATE SET next_offset = GREATEST(consumer_positions.next_offset, excluded.next_offset),
                   updated_at = now()`,
    [ref.group, ref.topic, ref.partition, nextOffset.toString()],
  );
}
