import { EntityManager } from 'typeorm';
import { ReadModelVersion } from '../../read-model-version/read-model-version';

type Queryable = Pick<EntityManager, 'query'>;

/** At most this many differences of each kind are listed (all of them are counted). */
export const LISTED_DIFFERENCES = 50;

/** One config that differs: its id and, per differing column, both values (null: no row). */
export interface ConfigDifference {
  id: string;
  /** column -> [active, candidate]; `row` when one side has no row at all */
  fields: Record<string, [unknown, unknown]>;
}

/** One counter window whose value differs (null: no row on that side). */
export interface CounterDifference {
  counterKey: string;
  windowStart: string;
  active: string | null;
  candidate: string | null;
}

export interface TableComparison {
  configs: { compared: number; different: number; listed: ConfigDifference[] };
  counters: { compared: number; different: number; listed: CounterDifference[] };
  /** the live counts per listing dimension (what `total_count` answers) */
  counts: {
    different: number;
    listed: { dimension: string; value: string; active: string | null; candidate: string | null }[];
  };
}

// Bookkeeping, not read-model content: the seq of the write (a rebuild writes a config at its
// own event's seq as well, but a chunk's counters at the chunk's), and a counter's `version`,
// a fencing token that counts writes, which depend on how events were batched.
const CONFIG_BOOKKEEPING = ['changed_seq'];

/**
 * Compares the PostgreSQL read models of two versions row by row: every config (definition,
 * limits, hash, timestamps, version, deleted_at), every counter window's value (every budget
 * and rate-limit dimension, every window, so every last_reset) and the live counts. Run it in
 * one snapshot (a REPEATABLE READ transaction, or under the log lock) so both sides hold the
 * same events. `scope`: only those configs and their counters.
 */
export async function compareTables(
  q: Queryable,
  active: ReadModelVersion,
  candidate: ReadModelVersion,
  scope: readonly string[] | null = null,
): Promise<TableComparison> {
  const a = active.tables;
  const b = candidate.tables;
  const configRows: {
    id: string;
    a_row: Record<string, unknown> | null;
    b_row: Record<string, unknown> | null;
    total: string;
  }[] = await q.query(
    `WITH pairs AS (
       SELECT coalesce(a.id, b.id) AS id,
              to_jsonb(a) - $3::text[] AS a_row, to_jsonb(b) - $3::text[] AS b_row
         FROM ${a.configs} a FULL JOIN ${b.configs} b ON a.id = b.id
        WHERE $2::text[] IS NULL OR coalesce(a.id, b.id) = ANY($2::text[]))
     SELECT id, a_row, b_row, count(*) OVER () AS total FROM pairs
      WHERE a_row IS DISTINCT FROM b_row ORDER BY id LIMIT $1`,
    [LISTED_DIFFERENCES, scope, CONFIG_BOOKKEEPING],
  );
  const scopedKeys = scope
    ? `WHERE coalesce(a.counter_key, b.counter_key) IN (
         SELECT l->>'counter_key' FROM ${a.configs}, jsonb_array_elements(limits) l WHERE id = ANY($2::text[])
         UNION
         SELECT l->>'counter_key' FROM ${b.configs}, jsonb_array_elements(limits) l WHERE id = ANY($2::text[]))`
    : '';
  const counterRows: {
    counter_key: string;
    window_start: Date;
    a_value: string | null;
    b_value: string | null;
    total: string;
  }[] = await q.query(
    `WITH pairs AS (
       SELECT coalesce(a.counter_key, b.counter_key) AS counter_key,
              coalesce(a.window_start, b.window_start) AS window_start,
              a.value AS a_value, b.value AS b_value
         FROM ${a.counters} a FULL JOIN ${b.counters} b
           ON a.counter_key = b.counter_key AND a.window_start = b.window_start
         ${scopedKeys})
     SELECT *, count(*) OVER () AS total FROM pairs
      WHERE a_value IS DISTINCT FROM b_value ORDER BY counter_key, window_start LIMIT $1`,
    scope ? [LISTED_DIFFERENCES, scope] : [LISTED_DIFFERENCES],
  );
  const countRows: {
    dimension: string;
    value: string;
    a_live: string | null;
    b_live: string | null;
    total: string;
  }[] = scope
    ? [] // the counts cover every config: a scoped build's differ by design
    : await q.query(
        `WITH pairs AS (
           SELECT coalesce(a.dimension, b.dimension) AS dimension,
                  coalesce(a.value, b.value) AS value, a.live AS a_live, b.live AS b_live
             FROM ${a.configCounts} a FULL JOIN ${b.configCounts} b
               ON a.dimension = b.dimension AND a.value = b.value)
         SELECT *, count(*) OVER () AS total FROM pairs
          WHERE coalesce(a_live, 0) <> coalesce(b_live, 0) ORDER BY dimension, value LIMIT $1`,
        [LISTED_DIFFERENCES],
      );
  const sizes: { configs: string; counters: string }[] = await q.query(
    `SELECT (SELECT count(*) FROM ${b.configs} ${scope ? 'WHERE id = ANY($1::text[])' : ''}) AS configs,
            (SELECT count(*) FROM ${b.counters}) AS counters`,
    scope ? [scope] : [],
  );
  return {
    configs: {
      compared: Number(sizes[0].configs),
      different: totalOf(configRows),
      listed: configRows.map((r) => ({ id: r.id, fields: fieldDifferences(r.a_row, r.b_row) })),
    },
    counters: {
      compared: Number(sizes[0].counters),
      different: totalOf(counterRows),
      listed: counterRows.map((r) => ({
        counterKey: r.counter_key,
        windowStart: r.window_start.toISOString(),
        active: r.a_value,
        candidate: r.b_value,
      })),
    },
    counts: {
      different: totalOf(countRows),
      listed: countRows.map((r) => ({
        dimension: r.dimension,
        value: r.value,
        active: r.a_live,
        candidate: r.b_live,
      })),
    },
  };
}

function totalOf(rows: readonly { total: string }[]): number {
  return rows.length === 0 ? 0 : Number(rows[0].total);
}

function fieldDifferences(
  a: Record<string, unknown> | null,
  b: Record<string, unknown> | null,
): Record<string, [unknown, unknown]> {
  if (a === null || b === null)
    return { row: [a === null ? null : 'present', b === null ? null : 'present'] };
  const fields: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) fields[key] = [a[key], b[key]];
  }
  return fields;
}
