import { foldSearchText } from '@app/governance';
import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { storeDefinition, storeLimit } from '../snapshot/snapshot-codec';

/**
 * The columns a config write sets and what it does to an existing row: one text for the live
 * write (saveConfig) and a rebuild's batched one (config-write-batch), so both keep one rule.
 */
export const CONFIG_INSERT_COLUMNS = `(id, model_name, provider, scope, scope_id, scope_name,
        calendar_aligned, definition, limits, config_hash, created_at, updated_at, version,
        changed_seq, deleted_at, search_name)`;
export const CONFIG_UPSERT = `ON CONFLICT (id) DO UPDATE SET
        model_name = excluded.model_name, search_name = excluded.search_name,
        provider = excluded.provider, scope = excluded.scope,
        scope_id = excluded.scope_id, scope_name = excluded.scope_name,
        calendar_aligned = excluded.calendar_aligned, definition = excluded.definition,
        limits = excluded.limits, config_hash = excluded.config_hash,
        created_at = excluded.created_at, updated_at = excluded.updated_at,
        version = mc.version + 1, changed_seq = excluded.changed_seq, deleted_at = NULL`;

/** Writes a config's new state; returns its new version (the Redis fence). */
export async function saveConfig(
  m: EntityManager,
  t: ReadModelTables,
  snapshot: Omit<ConfigSnapshot, 'version'>,
  seq: number,
): Promise<number> {
  const d = snapshot.definition;
  const rows: { version: string }[] = await m.query(
    `INSERT INTO ${t.configs} AS mc ${CONFIG_INSERT_COLUMNS}
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, NULL, $14)
     ${CONFIG_UPSERT}
     RETURNING version`,
    [
      d.id,
      d.modelName,
      d.provider,
      d.scope,
      d.scopeId,
      d.scopeName,
      d.calendarAligned,
      JSON.stringify(storeDefinition(d)),
      JSON.stringify(snapshot.limits.map(storeLimit)),
      snapshot.configHash,
      d.createdAt.toISOString(),
      d.updatedAt.toISOString(),
      seq,
      foldSearchText(d.modelName),
    ],
  );
  return Number(rows[0].version);
}

/** Removes a config from the read model; its history stays in the event store. */
export async function deleteConfig(
  m: EntityManager,
  t: ReadModelTables,
  id: string,
  deletedAt: Date,
  seq: number,
): Promise<number | null> {
  const rows: { version: string }[] = await m.query(
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
    `WITH deleted AS (
       UPDATE ${t.configs} SET deleted_at = $2, version = version + 1, changed_seq = $3
        WHERE id = $1 AND deleted_at IS NULL
        RETURNING version)
     SELECT version FROM deleted`,
    [id, deletedAt.toISOString(), seq],
  );
  return rows.length === 0 ? null : Number(rows[0].version);
}
