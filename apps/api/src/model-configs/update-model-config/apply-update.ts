import {
  BudgetDefinition,
  GovernanceError,
  invalidModelConfig,
  ModelConfigDefinition,
  validateModelConfig,
} from '@app/governance';
import { BudgetInput, ModelConfigInput } from '../write-side/model-config-body';

/**
 * The definition after an update. `scope` and `scope_id` are the identity's anchor and cannot
 * change; absent fields stay as they are; `budgets` and `rate_limit`, when present, are the full
 * desired state. Budgets keep their id (and so their usage, by the write-side rules) when
 * matched by id, else by an identical reset_duration; the rate limit keeps its id.
 */
export function applyUpdate(
  existing: ModelConfigDefinition,
  input: ModelConfigInput,
  newId: () => string,
  now: Date,
): ModelConfigDefinition {
  assertSameScope(existing, input);
  const rl = input.rateLimit;
  const updated: ModelConfigDefinition = {
    ...existing,
    modelName: input.modelName === undefined ? existing.modelName : (input.modelName ?? ''),
    provider: input.provider === undefined ? existing.provider : input.provider,
    scopeName: input.scopeName === undefined ? existing.scopeName : input.scopeName,
    calendarAligned: input.calendarAligned ?? existing.calendarAligned,
    budgets: input.budgets
      ? reconcileBudgets(existing.budgets, input.budgets, newId)
      : existing.budgets,
    rateLimit:
      rl === undefined
        ? existing.rateLimit
        : rl && { id: existing.rateLimit?.id ?? newId(), ...rl },
    // Never earlier than the last change: windows re-anchored here must not move back in time.
    updatedAt: now > existing.updatedAt ? now : existing.updatedAt,
  };
  validateModelConfig(updated);
  return updated;
}

function assertSameScope(existing: ModelConfigDefinition, input: ModelConfigInput): void {
  if (input.scope !== undefined && input.scope !== null && input.scope !== existing.scope) {
    throw new GovernanceError('scope_immutable', 'scope cannot be changed on update');
  }
  if (input.scopeId !== undefined && input.scopeId !== existing.scopeId) {
    throw new GovernanceError('scope_immutable', 'scope_id cannot be changed on update');
  }
}

function reconcileBudgets(
  existing: readonly BudgetDefinition[],
  wanted: readonly BudgetInput[],
  newId: () => string,
): BudgetDefinition[] {
  const unclaimed = new Map(existing.map((b) => [b.id, b]));
  // First pass: explicit ids, which must be this config's.
  for (const b of wanted) {
    if (b.id === null) continue;
    if (!unclaimed.delete(b.id)) {
      throw invalidModelConfig(`budget ${b.id} does not belong to this model config`);
    }
  }
  // Second pass: a budget without an id takes over the one with the same reset_duration.
  return wanted.map((b) => {
    let id = b.id;
    if (id === null) {
      const same = [...unclaimed.values()].find((e) => e.resetDuration === b.resetDuration);
      if (same) unclaimed.delete(same.id);
      id = same?.id ?? newId();
    }
    return { id, maxLimit: b.maxLimit, resetDuration: b.resetDuration };
  });
}
