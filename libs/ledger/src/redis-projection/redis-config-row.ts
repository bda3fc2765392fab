import { foldSearchText } from '@app/governance';
import { identityOf } from '../config-index/config-index';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { loadSnapshot, StoredSnapshot, storeSnapshot } from '../snapshot/snapshot-codec';

/**
 * The listing row kept beside each Redis snapshot: which index sets hold the config, the
 * folded name `search` scans, and its identity (the key of the admission identity index). The score travels as a string: Lua would print a number with 14
 * significant digits.
 */
type WireRow = [string, string, string | null, string | null, string, string];

export function encodeListingRow(s: ConfigSnapshot): string {
  const d = s.definition;
  const row: WireRow = [
    String(d.createdAt.getTime()),
    d.scope,
    d.scopeId,
    d.provider,
    foldSearchText(d.modelName),
    identityOf(s),
  ];
  return JSON.stringify(row);
}

export function encodeSnapshot(s: ConfigSnapshot): string {
  return JSON.stringify(storeSnapshot(s));
}

export function decodeSnapshot(json: string): ConfigSnapshot {
  return loadSnapshot(JSON.parse(json) as StoredSnapshot);
}

/** Counter values are stored as "version:value" (written by SET_COUNTERS_LUA). */
export function decodeCounterValue(raw: string | null): bigint {
  if (raw === null) return 0n;
  return BigInt(raw.slice(raw.indexOf(':') + 1));
}
