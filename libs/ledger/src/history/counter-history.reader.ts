import {
  assertHistoryBounded,
  HistoryRange,
  LimitHistory,
  limitHistory,
  seriesRange,
  StoredCounterWindow,
  windowStart,
} from '@app/governance';
import { DataSource, EntityManager } from 'typeorm';
import { readReadModelState } from '../projection/read-model-state';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { VersionSource } from '../versions/version-source';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredDefinition, StoredLimit } from '../snapshot/snapshot-codec';

export interface UsageHistoryRead {
  /** null: no live config with that id */
  snapshot: ConfigSnapshot | null;
  limits: LimitHistory[];
  /** time of the newest event applied to the PostgreSQL read model */
  asOf: Date | null;
}

interface SnapshotColumns {
  definition: StoredDefinition;
  limits: StoredLimit[];
  config_hash: string;
  version: string;
}

/**
 * The read-model port for past windows of a config's counters (PostgreSQL only: Redis holds
 * the current window alone). One REPEATABLE READ snapshot per call, so the config, its counter
 * rows and the freshness all describe the same moment.
 */
export class CounterHistoryReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: VersionSource,
  ) {}

  read(configId: string, range: HistoryRange): Promise<UsageHistoryRead> {
    const t = this.versions.current().tables; // one version for the whole answer
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const { asOf } = await readReadModelState(m, t);
      const snapshot = await loadLiveSnapshot(m, t, configId);
      if (!snapshot) return { snapshot: null, limits: [], asOf };
      const keys = snapshot.limits.map((l) => l.counterKey);
      const earliest = await earliestWindows(m, t, keys);
      const ranges = snapshot.limits.map((l) =>
        seriesRange(l, range, earliest.get(l.counterKey) ?? null),
      );
      // Refuse before reading rows: the bound is on the answer's size, whatever is stored.
      snapshot.limits.forEach((l, i) => assertHistoryBounded(l, ranges[i]));
      const stored = await storedWindows(
        m,
        t,
        snapshot.limits.flatMap((l, i) => {
          const r = ranges[i];
          return r ? [{ counterKey: l.counterKey, from: windowStart(l, r.from), to: r.to }] : [];
        }),
      );
      const limits = snapshot.limits.map((l, i) => limitHistory(l, ranges[i], stored));
      return { snapshot, limits, asOf };
    });
  }
}

async function loadLiveSnapshot(
  m: EntityManager,
  t: ReadModelTables,
  id: string,
): Promise<ConfigSnapshot | null> {
  const rows: SnapshotColumns[] = await m.query(
    `SELECT definition, limits, config_hash, version FROM ${t.configs}
      WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return rows[0] ? loadSnapshot({ ...rows[0], version: Number(rows[0].version) }) : null;
}

/** The oldest stored window of each series: one index probe per key. */
async function earliestWindows(
  m: EntityManager,
  t: ReadModelTables,
  keys: string[],
): Promise<Map<string, Date>> {
  if (keys.length === 0) return new Map();
  const rows: { k: string; first: Date | null }[] = await m.query(
    `SELECT k, (SELECT min(window_start) FROM ${t.counters} WHERE counter_key = k) AS first
       FROM unnest($1::text[]) AS k`,
    [keys],
  );
  return new Map(rows.flatMap((r) => (r.first ? [[r.k, r.first] as const] : [])));
}

async function storedWindows(
  m: EntityManager,
  t: ReadModelTables,
  spans: { counterKey: string; from: Date; to: Date }[],
): Promise<StoredCounterWindow[]> {
  if (spans.length === 0) return [];
  const rows: { counter_key: string; window_start: Date; value: string }[] = await m.query(
    `SELECT c.counter_key, c.window_start, c.value
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS s(k, f, t)
       JOIN ${t.counters} c
         ON c.counter_key = s.k AND c.window_start >= s.f AND c.window_start < s.t`,
    [
      spans.map((s) => s.counterKey),
      spans.map((s) => s.from.toISOString()),
      spans.map((s) => s.to.toISOString()),
    ],
  );
  return rows.map((r) => ({
    counterKey: r.counter_key,
    windowStart: r.window_start,
    value: BigInt(r.value),
  }));
}
