import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { identityConflictMessage, GovernanceError, ModelConfigDefinition } from '@app/governance';
import { LiveConfigLookup } from '@app/ledger';
import { notFound } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';

/** What commands check against the PostgreSQL read model before recording a change. */
@Injectable()
export class ModelConfigStore {
  constructor(
    private readonly lookup: LiveConfigLookup,
    private readonly config: AppConfig,
  ) {}

  /** The live definition and its version (an update applies only over that version), or 404. */
  async currentOf(id: string): Promise<{ definition: ModelConfigDefinition; version: number }> {
    const current = await this.postgres(() => this.lookup.current(id));
    if (current === null) throw notFound();
    return current;
  }

  /**
   * 409 when another live config holds the identity. A fast pre-check only: two requests can
   * both pass it, and then the projector (one partition, in order) rejects the later one.
   */
  async assertIdentityFree(d: ModelConfigDefinition): Promise<void> {
    const holder = await this.postgres(() => this.lookup.identityHolder(d));
    if (holder !== null) {
      throw new GovernanceError('identity_conflict', identityConflictMessage(d));
    }
  }

  private postgres<T>(work: () => Promise<T>): Promise<T> {
    return callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, work);
  }
}
