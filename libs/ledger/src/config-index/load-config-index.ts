import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { StoredDefinition, StoredLimit, loadSnapshot } from '../snapshot/snapshot-codec';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { ConfigIndex } from './config-index';

export async function loadLiveConfigs(
  m: EntityManager,
  t: ReadModelTables,
): Promise<ConfigSnapshot[]> {
  const rows: {
    definition: StoredDefinition;
    limits: StoredLimit[];
    config_hash: string;
    version: string;
  }[] = await m.query(
    `SELECT definition, limits, config_hash, version FROM ${t.configs} WHERE deleted_at IS NULL`,
  );
  return rows.map((r) =>
    loadSnapshot({
      definition: r.definition,
      limits: r.limits,
      config_hash: r.config_hash,
      version: Number(r.version),
    }),
  );
}

export async function loadConfigIndex(m: EntityManager, t: ReadModelTables): Promise<ConfigIndex> {
  return new ConfigIndex(await loadLiveConfigs(m, t));
}
