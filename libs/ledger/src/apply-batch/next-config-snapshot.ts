import {
  configHash,
  identityConflictMessage,
  identityKey,
  ModelConfigDefinition,
  trackedLimitsFor,
} from '@app/governance';
import { ConfigIndex } from '../config-index/config-index';
import { ConfigSnapshot } from '../snapshot/config-snapshot';

export type NextSnapshot =
  { ok: true; snapshot: Omit<ConfigSnapshot, 'version'> } | { ok: false; message: string };

/**
 * The state a config upsert leads to. Counter series whose window is unchanged keep their
 * key (and so their usage); `generation` (the event's sequence number) names new ones, so a
 * replay in sequence order recreates the very same keys.
 */
export function nextConfigSnapshot(
  index: ConfigIndex,
  definition: ModelConfigDefinition,
  generation: number,
): NextSnapshot {
  const d = definition;
  const holder = index.holderOf(identityKey(d.scope, d.scopeId, d.modelName, d.provider));
  if (holder && holder.definition.id !== d.id) {
    return { ok: false, message: identityConflictMessage(d) };
  }
  const previous = index.get(d.id)?.limits ?? [];
  return {
    ok: true,
    snapshot: {
      definition: d,
      limits: trackedLimitsFor(d, previous, String(generation)),
      configHash: configHash(d),
    },
  };
}
