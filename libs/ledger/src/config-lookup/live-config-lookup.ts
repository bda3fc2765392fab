import { ModelConfigDefinition } from '@app/governance';
import { DataSource } from 'typeorm';
import { VersionSource } from '../versions/version-source';
import { loadDefinition, StoredDefinition } from '../snapshot/snapshot-codec';

/** What management commands check in the PostgreSQL read model before recording a change. */
export class LiveConfigLookup {
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: VersionSource,
  ) {}

  /** The live definition and its version (an update applies only over that version). */
  async current(
    id: string,
  ): Promise<{ definition: ModelConfigDefinition; version: number } | null> {
    const rows: { definition: StoredDefinition; version: string }[] = await this.dataSource.query(
      `SELECT definition, version FROM ${this.versions.current().tables.configs}
        WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    if (rows.length === 0) return null;
    return { definition: loadDefinition(rows[0].definition), version: Number(rows[0].version) };
  }

  /** The id of another live config holding the same identity, if any. */
  async identityHolder(d: ModelConfigDefinition): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ${this.versions.current().tables.configs}
        WHERE deleted_at IS NULL AND scope = $1 AND scope_id IS NOT DISTINCT FROM $2
          AND model_name = $3 AND provider IS NOT DISTINCT FROM $4 AND id <> $5`,
      [d.scope, d.scopeId, d.modelName, d.provider, d.id],
    );
    return rows[0]?.id ?? null;
  }
}
