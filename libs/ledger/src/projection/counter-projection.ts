import { Charge, MAX_COUNTER_VALUE } from '@app/governance';
import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { CounterValue } from '../snapshot/config-snapshot';

/**
 * Adds pre-aggregated charges in one statement and returns the absolute values after it
 * (none with `returning: false`: a rebuild projects Redis in full at the end, and parsing a
 * row per window back is most of what the statement costs it).
 */
export async function applyCharges(
  m: EntityManager,
  t: ReadModelTables,
  input: readonly Charge[],
  seq: number,
  { returning = true }: { returning?: boolean } = {},
): Promise<CounterValue[]> {
  if (input.length === 0) return [];
  // One lock order for every transaction: concurrent batches never deadlock on counter rows.
  const charges = [...input].sort(byCounterWindow);
  const rows: { counter_key: string; window_start: Date; value: string; version: string }[] =
    await m.query(
      `INSERT INTO ${t.counters} AS c (counter_key, window_start, value, version, changed_seq)
       SELECT k, w, v, 1, $4
         FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) WITH ORDINALITY AS x(k, w, v, n)
        ORDER BY n
       ON CONFLICT (counter_key, window_start) DO UPDATE
         -- Saturates instead of failing with "bigint out of range" (see MAX_COUNTER_VALUE).
         SET value = LEAST(c.value::numeric + excluded.value, $5::numeric)::bigint,
             version = c.version + 1,
             changed_seq = excluded.changed_seq
       ${returning ? 'RETURNING counter_key, window_start, value, version' : ''}`,
      [
        charges.map((c) => c.counterKey),
        charges.map((c) => c.windowStart.toISOString()),
        charges.map((c) => c.amount.toString()),
        seq,
        MAX_COUNTER_VALUE.toString(),
      ],
    );
  return returning ? rows.map(toCounterValue) : [];
}

function byCounterWindow(a: Charge, b: Charge): number {
  if (a.counterKey !== b.counterKey) return a.counterKey < b.counterKey ? -1 : 1;
  return a.windowStart.getTime() - b.windowStart.getTime();
}

export function toCounterValue(r: {
  counter_key: string;
  window_start: Date;
  value: string;
  version: string;
}): CounterValue {
  return {
    counterKey: r.counter_key,
    windowStart: r.window_start,
    value: BigInt(r.value),
    version: Number(r.version),
  };
}
