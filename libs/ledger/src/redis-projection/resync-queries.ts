import { windowStart } from '@app/governance';
import { DataSource } from 'typeorm';
import { ConfigChange } from '../apply-batch/applied-batch';
import { ConfigIndex } from '../config-index/config-index';
import { toCounterValue } from '../projection/counter-projection';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { CounterValue } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredDefinition, StoredLimit } from '../snapshot/snapshot-codec';

/** What the resync reads from PostgreSQL, each statement served by an index. */
interface ConfigRow {
  id: string;
  definition: StoredDefinition;
  limits: StoredLimit[];
  config_hash: string;
  version: string;
  changed_seq: string;
  deleted_at: Date | null;
}

const COLUMNS = 'id, definition, limits, config_hash, version, changed_seq, deleted_at';

export type SeqChange = ConfigChange & { changedSeq: number };

/** Configs (live or deleted) changed after `seq`; `liveOnly` for a first load. */
export async function changedConfigs(
  ds: DataSource,
  t: ReadModelTables,
  seq: number,
  liveOnly = false,
): Promise<SeqChange[]> {
  const rows: ConfigRow[] = await ds.query(
    `SELECT ${COLUMNS} FROM ${t.configs}
      WHERE changed_seq > $1 ${liveOnly ? 'AND deleted_at IS NULL' : ''}`,
    [seq],
  );
  return rows.map(toChange);
}

/** One slice of the live configs in id order (keyset paging: no OFFSET to skip over). */
export async function configsAfter(
  ds: DataSource,
  t: ReadModelTables,
  afterId: string,
  limit: number,
): Promise<SeqChange[]> {
  const rows: ConfigRow[] = await ds.query(
    `SELECT ${COLUMNS} FROM ${t.configs}
      WHERE id > $1 AND deleted_at IS NULL ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map(toChange);
}

export async function liveConfigIds(ds: DataSource, t: ReadModelTables): Promise<Set<string>> {
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM ${t.configs} WHERE deleted_at IS NULL`,
  );
  return new Set(rows.map((r) => r.id));
}

/** The current window of every counter series of the given configs. */
export async function currentWindowsOf(
  ds: DataSource,
  t: ReadModelTables,
  index: ConfigIndex,
  now: Date,
): Promise<CounterValue[]> {
  const keys: string[] = [];
  const starts: string[] = [];
  for (const snapshot of index.values()) {
    for (const limit of snapshot.limits) {
      keys.push(limit.counterKey);
      starts.push(windowStart(limit, now).toISOString());
    }
  }
  if (keys.length === 0) return [];
  const rows: Parameters<typeof toCounterValue>[0][] = await ds.query(
    `SELECT c.counter_key, c.window_start, c.value, c.version
       FROM unnest($1::text[], $2::timestamptz[]) AS w(k, s)
       JOIN ${t.counters} c ON c.counter_key = w.k AND c.window_start = w.s`,
    [keys, starts],
  );
  return rows.map(toCounterValue);
}

export async function countersChangedSince(
  ds: DataSource,
  t: ReadModelTables,
  seq: number,
): Promise<CounterValue[]> {
  const rows: Parameters<typeof toCounterValue>[0][] = await ds.query(
    `SELECT counter_key, window_start, value, version FROM ${t.counters} WHERE changed_seq > $1`,
    [seq],
  );
  return rows.map(toCounterValue);
}

function toChange(r: ConfigRow): SeqChange {
  const version = Number(r.version);
  const changedSeq = Number(r.changed_seq);
  if (r.deleted_at !== null) return { id: r.id, version, snapshot: null, changedSeq };
  const snapshot = loadSnapshot({
    definition: r.definition,
    limits: r.limits,
    config_hash: r.config_hash,
    version,
  });
  return { id: r.id, version, snapshot, changedSeq };
}
