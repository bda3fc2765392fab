import { windowStart } from '@app/governance';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { ConfigListQuery } from './config-list-query';

/** Usage by counter key, in the window each config's view shows (absent = 0). */
export type UsageValues = ReadonlyMap<string, bigint>;

/** One page in listing order, with `total` matching configs and the read model's as-of time. */
export interface ConfigPage {
  snapshots: ConfigSnapshot[];
  total: number;
  usage: UsageValues;
  asOf: Date | null;
}

export interface ConfigRead {
  /** null: no live config with that id */
  snapshot: ConfigSnapshot | null;
  usage: UsageValues;
  asOf: Date | null;
}

/**
 * The port both read models implement (PostgreSQL, and Redis for `from_memory=true`): filter,
 * order and page inside the store, then the counters of the page's configs in one round trip.
 * Same state, same answer: see selectPage, the reference.
 */
export interface ModelConfigReadModel {
  page(query: ConfigListQuery, now: Date): Promise<ConfigPage>;
  get(id: string, now: Date): Promise<ConfigRead>;
}

/** Every counter a config's view reads, with the window it reads at `now`. */
export function currentWindows(
  s: ConfigSnapshot,
  now: Date,
): { counterKey: string; windowStart: Date }[] {
  return s.limits.map((l) => ({ counterKey: l.counterKey, windowStart: windowStart(l, now) }));
}
