import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { identityConflictMessage, GovernanceError, ModelConfigDefinition } from '@app/governance';
import { loadDefinition, StoredDefinition } from '@app/ledger';
import { DataSource } from 'typeorm';
import { notFound } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';

/** What commands check against the PostgreSQL read model before recording a change. */
@Injectable()
export class ModelConfigStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** The live definition, or 404. */
  /** The live definition and its version (an update applies only over that version). */
  async currentOf(id: string): Promise<{ definition: ModelConfigDefinition; version: number }> {
    const rows: { definition: StoredDefinition; version: string }[] = await this.query(
      'SELECT definition, version FROM model_configs WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
    if (rows.length === 0) throw notFound();
    return { definition: loadDefinition(rows[0].definition), version: Number(rows[0].version) };
  }

  /**
   * 409 when another live config holds the identity. A fast pre-check only: two requests can
   * both pass it, and then the projector (one partition, in order) rejects the later one.
   */
  async assertIdentityFree(d: ModelConfigDefinition): Promise<void> {
    const rows: { id: string }[] = await this.query(
      `SELECT id FROM model_configs
        WHERE deleted_at IS NULL AND scope = $1 AND scope_id IS NOT DISTINCT FROM $2
          AND model_name = $3 AND provider IS NOT DISTINCT FROM $4 AND id <> $5`,
      [d.scope, d.scopeId, d.modelName, d.provider, d.id],
    );
    if (rows.length > 0) {
      throw new GovernanceError('identity_conflict', identityConflictMessage(d));
    }
  }

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.dataSource.query<T>(sql, params),
    );
  }
}
