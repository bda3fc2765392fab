import { decodeSnapshot } from '../redis-projection/redis-config-row';
import { ConfigSnapshot } from '../snapshot/config-snapshot';

/**
 * Decoded Redis snapshots by their stored JSON, so a page of configs that did not change since
 * the last request is not parsed again. Keyed by the exact bytes Redis returned: a changed
 * config is a new key, never a stale answer. Bounded (oldest out first), so memory does not
 * grow with the number of configs held; the snapshots it returns are shared and never mutated.
 */
export class SnapshotDecodeCache {
  private readonly entries = new Map<string, ConfigSnapshot>();

  constructor(private readonly capacity = 2_000) {}

  decode(json: string): ConfigSnapshot {
    const hit = this.entries.get(json);
    if (hit !== undefined) return hit;
    const snapshot = decodeSnapshot(json);
    if (this.entries.size >= this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(json, snapshot);
    return snapshot;
  }

  get size(): number {
    return this.entries.size;
  }
}
