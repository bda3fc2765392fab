import { identityKey, TrackedLimit } from '@app/governance';
import { ConfigSnapshot } from '../snapshot/config-snapshot';

/** Live configs by id and by identity: what the charging rules look up per usage event. */
export class ConfigIndex {
  private readonly byId = new Map<string, ConfigSnapshot>();
  private readonly byIdentity = new Map<string, ConfigSnapshot>();
  private readonly byCounterKey = new Map<string, TrackedLimit>();

  constructor(snapshots: Iterable<ConfigSnapshot> = []) {
    for (const snapshot of snapshots) this.put(snapshot);
  }

  clone(): ConfigIndex {
    return new ConfigIndex(this.byId.values());
  }

  get(id: string): ConfigSnapshot | undefined {
    return this.byId.get(id);
  }

  /** The live config holding this identity, if any. */
  holderOf(identity: string): ConfigSnapshot | undefined {
    return this.byIdentity.get(identity);
  }

  readonly limitsFor = (identity: string): readonly TrackedLimit[] | undefined =>
    this.byIdentity.get(identity)?.limits;

  /** The live limit a counter series belongs to (its window rules). */
  limitOf(counterKey: string): TrackedLimit | undefined {
    return this.byCounterKey.get(counterKey);
  }

  put(snapshot: ConfigSnapshot): void {
    this.remove(snapshot.definition.id);
    this.byId.set(snapshot.definition.id, snapshot);
    this.byIdentity.set(identityOf(snapshot), snapshot);
    for (const limit of snapshot.limits) this.byCounterKey.set(limit.counterKey, limit);
  }

  remove(id: string): ConfigSnapshot | undefined {
    const existing = this.byId.get(id);
    if (!existing) return undefined;
    this.byId.delete(id);
    this.byIdentity.delete(identityOf(existing));
    for (const limit of existing.limits) this.byCounterKey.delete(limit.counterKey);
    return existing;
  }

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<ConfigSnapshot> {
    return this.byId.values();
  }
}

export function identityOf({ definition: d }: ConfigSnapshot): string {
  return identityKey(d.scope, d.scopeId, d.modelName, d.provider);
}
