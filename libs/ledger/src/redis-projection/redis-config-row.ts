import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredSnapshot, storeSnapshot } from '../snapshot/snapshot-codec';

/**
 * The compact listing row kept beside each Redis snapshot, so a filtered, paged listing reads
 * only the rows it needs and then the snapshots of one page.
 */
export interface ConfigListingRow {
  id: string;
  createdAtMs: number;
  scope: string;
  scopeId: string | null;
  provider: string | null;
  modelName: string;
}

type WireRow = [string, number, string, string | null, string | null, string];

export function encodeListingRow(s: ConfigSnapshot): string {
  const d = s.definition;
  const row: WireRow = [d.id, d.createdAt.getTime(), d.scope, d.scopeId, d.provider, d.modelName];
  return JSON.stringify(row);
}

export function decodeListingRow(json: string): ConfigListingRow {
  const [id, createdAtMs, scope, scopeId, provider, modelName] = JSON.parse(json) as WireRow;
  return { id, createdAtMs, scope, scopeId, provider, modelName };
}

export function encodeSnapshot(s: ConfigSnapshot): string {
  return JSON.stringify(storeSnapshot(s));
}

export function decodeSnapshot(json: string): ConfigSnapshot {
  return loadSnapshot(JSON.parse(json) as StoredSnapshot);
}

/** Counter values are stored as "version:value". */
export function decodeCounterValue(raw: string | null): bigint {
  if (raw === null) return 0n;
  return BigInt(raw.slice(raw.indexOf(':') + 1));
}
