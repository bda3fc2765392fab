import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  ConfigListingRow,
  ConfigSnapshot,
  loadSnapshot,
  StoredDefinition,
  StoredLimit,
} from '@app/ledger';
import { DataSource, EntityManager } from 'typeorm';
import { callDependency } from '../../http/dependency-call';
import { ListParams } from '../list-model-configs/list-query-params';
import { countersToRead, presentModelConfig, UsageOf } from '../model-config.presenter';
import {
  Freshness,
  ModelConfigPage,
  ModelConfigRead,
  ModelConfigReader,
} from './model-config.reader';
import { presentPage } from './present-page';
import { selectPage } from './select-page';

interface ListingColumns {
  id: string;
  created_at: Date;
  scope: string;
  scope_id: string | null;
  provider: string | null;
  model_name: string;
}

interface SnapshotColumns {
  definition: StoredDefinition;
  limits: StoredLimit[];
  config_hash: string;
  version: string;
}

/** The PostgreSQL read model. Each request reads one consistent snapshot (REPEATABLE READ). */
@Injectable()
export class PostgresModelConfigReader implements ModelConfigReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  list(params: ListParams, now: Date): Promise<ModelConfigPage> {
    return this.read(async (m) => {
      const rows: ListingColumns[] = await m.query(
        `SELECT id, created_at, scope, scope_id, provider, model_name
           FROM model_configs WHERE deleted_at IS NULL`,
      );
      const selection = selectPage(rows.map(toListingRow), params, params.limit, params.offset);
      const snapshots = await loadSnapshots(m, selection.ids);
      const usageOf = await loadUsage(m, [...snapshots.values()], now);
      const response = presentPage(selection, snapshots, usageOf, params, now);
      return { response, freshness: await freshness(m) };
    });
  }

  get(id: string, now: Date): Promise<ModelConfigRead> {
    return this.read(async (m) => {
      const snapshot = (await loadSnapshots(m, [id])).get(id);
      const usageOf = await loadUsage(m, snapshot ? [snapshot] : [], now);
      const view = snapshot ? presentModelConfig(snapshot, usageOf, now) : null;
      return { view, freshness: await freshness(m) };
    });
  }

  private read<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.dataSource.transaction('REPEATABLE READ', work),
    );
  }
}

async function loadSnapshots(
  m: EntityManager,
  ids: string[],
): Promise<Map<string, ConfigSnapshot>> {
  if (ids.length === 0) return new Map();
  const rows: SnapshotColumns[] = await m.query(
    `SELECT definition, limits, config_hash, version FROM model_configs
      WHERE id = ANY($1::text[]) AND deleted_at IS NULL`,
    [ids],
  );
  const snapshots = rows.map((r) => loadSnapshot({ ...r, version: Number(r.version) }));
  return new Map(snapshots.map((s) => [s.definition.id, s]));
}

async function loadUsage(
  m: EntityManager,
  snapshots: ConfigSnapshot[],
  now: Date,
): Promise<UsageOf> {
  const windows = snapshots.flatMap((s) => countersToRead(s, now));
  if (windows.length === 0) return () => 0n;
  const rows: { counter_key: string; value: string }[] = await m.query(
    `SELECT c.counter_key, c.value
       FROM unnest($1::text[], $2::timestamptz[]) AS w(k, s)
       JOIN usage_counters c ON c.counter_key = w.k AND c.window_start = w.s`,
    [windows.map((w) => w.counterKey), windows.map((w) => w.windowStart.toISOString())],
  );
  const values = new Map(rows.map((r) => [r.counter_key, BigInt(r.value)]));
  return (counterKey) => values.get(counterKey) ?? 0n;
}

async function freshness(m: EntityManager): Promise<Freshness> {
  const rows: { as_of: Date | null }[] = await m.query(
    'SELECT as_of FROM read_model_state WHERE id = 1',
  );
  return { source: 'postgres', asOf: rows[0]?.as_of ?? null };
}

function toListingRow(r: ListingColumns): ConfigListingRow {
  return {
    id: r.id,
    createdAtMs: r.created_at.getTime(),
    scope: r.scope,
    scopeId: r.scope_id,
    provider: r.provider,
    modelName: r.model_name,
  };
}
