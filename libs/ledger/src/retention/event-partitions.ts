import { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** One monthly partition of public.event_store: events with from <= time < to. */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

const MONTH_NAME = /^event_store_y(\d{4})m(\d{2})$/;

/** The monthly partitions, oldest first (the DEFAULT partition is not one of them). */
export async function listMonthPartitions(q: Queryable): Promise<MonthPartition[]> {
  const rows: { name: string }[] = await q.query(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'public.event_store'::regclass`,
  );
  const months: MonthPartition[] = [];
  for (const { name } of rows) {
    const match = MONTH_NAME.exec(name);
    if (!match) continue;
    const [year, month] = [Number(match[1]), Number(match[2]) - 1];
    months.push({
      name,
      from: new Date(Date.UTC(year, month, 1)),
      to: new Date(Date.UTC(year, month + 1, 1)),
    });
  }
  return months.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * The partitions of the month of `now` and the `ahead` months after it, so live events land in
 * a month partition, not in the default one (see ensure_event_store_partition).
 */
export async function ensureMonthsAhead(q: Queryable, now: Date, ahead: number): Promise<void> {
  for (let k = 0; k <= ahead; k += 1) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
    await q.query('SELECT ensure_event_store_partition($1)', [month.toISOString()]);
  }
}

/**
 * A partition for every month that has events in the default partition (they arrived before
 * their month had one: an old time, or a month the job had not reached yet), so every event is
 * in a month that can be dropped whole.
 */
export async function partitionStrayMonths(q: Queryable): Promise<void> {
  const rows: { month: Date }[] = await q.query(
    `SELECT DISTINCT date_trunc('month', time, 'UTC') AS month FROM event_store_default`,
  );
  for (const { month } of rows) {
    await q.query('SELECT ensure_event_store_partition($1)', [month.toISOString()]);
  }
}

/**
 * The newest month end at or before `horizon`: the boundary once every month before it is
 * dropped. Null when no month partition ends that early.
 */
export function boundaryFor(months: readonly MonthPartition[], horizon: Date): Date | null {
  let boundary: Date | null = null;
  for (const m of months) {
    if (m.to.getTime() <= horizon.getTime() && (!boundary || m.to > boundary)) boundary = m.to;
  }
  return boundary;
}
