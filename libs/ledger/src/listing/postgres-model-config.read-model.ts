import { DataSource } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { VersionSource } from '../versions/version-source';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredSnapshot } from '../snapshot/snapshot-codec';
import { ConfigListQuery } from './config-list-query';
import {
  ConfigPage,
  ConfigRead,
  currentWindows,
  ModelConfigReadModel,
  UsageValues,
} from './model-config-read-model';
import { pageStatement } from './page-statement';

interface PageRow {
  total: string;
  as_of: Date | null;
  page: StoredSnapshot[];
}

/**
 * The PostgreSQL read model: one statement for the page, its total and the as-of time (one
 * snapshot of the database), one for the page's counters.
 */
export class PostgresModelConfigReadModel implements ModelConfigReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: VersionSource,
  ) {}

  async page(query: ConfigListQuery, now: Date): Promise<ConfigPage> {
    const t = this.versions.current().tables; // one version for the whole answer
    const { sql, params } = pageStatement(t, query);
    const [row]: PageRow[] = await this.dataSource.query(sql, params);
    const snapshots = row.page.map(toSnapshot);
    const usage = await this.usage(t, snapshots, now);
    return { snapshots, total: Number(row.total), usage, asOf: asDate(row.as_of) };
  }

  async get(id: string, now: Date): Promise<ConfigRead> {
    const t = this.versions.current().tables;
    const [row]: { as_of: Date | null; config: StoredSnapshot | null }[] =
      await this.dataSource.query(
        `SELECT (SELECT as_of FROM ${t.state} WHERE id = 1) AS as_of,
                (SELECT json_build_object('definition', definition, 'limits', limits,
                          'config_hash', config_hash, 'version', version)
                   FROM ${t.configs} WHERE id = $1 AND deleted_at IS NULL) AS config`,
        [id],
      );
    const snapshot = row.config ? toSnapshot(row.config) : null;
    const usage = await this.usage(t, snapshot ? [snapshot] : [], now);
    return { snapshot, usage, asOf: asDate(row.as_of) };
  }

  private async usage(
    t: ReadModelTables,
    snapshots: ConfigSnapshot[],
    now: Date,
  ): Promise<UsageValues> {
    const windows = snapshots.flatMap((s) => currentWindows(s, now));
    if (windows.length === 0) return new Map();
    const rows: { counter_key: string; value: string }[] = await this.dataSource.query(
      `SELECT c.counter_key, c.value
         FROM unnest($1::text[], $2::timestamptz[]) AS w(k, s)
         JOIN ${t.counters} c ON c.counter_key = w.k AND c.window_start = w.s`,
      [windows.map((w) => w.counterKey), windows.map((w) => w.windowStart.toISOString())],
    );
    return new Map(rows.map((r) => [r.counter_key, BigInt(r.value)]));
  }
}

function toSnapshot(s: StoredSnapshot): ConfigSnapshot {
  return loadSnapshot({ ...s, version: Number(s.version) });
}

// json_build_object turns timestamptz into text; a plain column arrives as a Date.
function asDate(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
