import { DeadLetterReason, deadLetterReasonOf } from '@app/contracts';
import {
  configHash,
  GovernanceError,
  identityConflictMessage,
  identityKey,
  ModelConfigDefinition,
  trackedLimitsFor,
} from '@app/governance';
import { ConfigIndex } from '../config-index/config-index';
import { ConfigSnapshot } from '../snapshot/config-snapshot';

export type NextSnapshot =
  { ok: true; snapshot: Omit<ConfigSnapshot, 'version'> } | { ok: false; reason: DeadLetterReason };

/**
 * The state a config upsert leads to. Counter series whose window is unchanged keep their
 * key (and so their usage); `generation` (the event's sequence number) names new ones, so a
 * replay in sequence order recreates the very same keys. With `expectedVersion` (an update
 * built on a version that was read) the upsert applies only over that very version.
 */
export function nextConfigSnapshot(
  index: ConfigIndex,
  definition: ModelConfigDefinition,
  generation: number,
  expectedVersion: number | null = null,
): NextSnapshot {
  const d = definition;
  const current = index.get(d.id);
  if (expectedVersion !== null && current?.version !== expectedVersion) {
    return { ok: false, reason: staleUpdate(d.id, expectedVersion, current) };
  }
  const holder = index.holderOf(identityKey(d.scope, d.scopeId, d.modelName, d.provider));
  if (holder && holder.definition.id !== d.id) {
    return {
      ok: false,
      reason: deadLetterReasonOf(
        new GovernanceError('identity_conflict', identityConflictMessage(d)),
      ),
    };
  }
  return {
    ok: true,
    snapshot: {
      definition: d,
      limits: trackedLimitsFor(d, current?.limits ?? [], String(generation)),
      configHash: configHash(d),
    },
  };
}

// An update of a version that is no longer live must not undo a delete or a newer update.
function staleUpdate(
  id: string,
  expected: number,
  current: ConfigSnapshot | undefined,
): DeadLetterReason {
  if (!current)
    return deadLetterReasonOf(new GovernanceError('not_found', 'Model config not found'));
  return deadLetterReasonOf(
    new GovernanceError(
      'version_conflict',
      `Model config ${id} was changed concurrently (version ${current.version}, expected ${expected}); read it again and retry`,
    ),
  );
}
