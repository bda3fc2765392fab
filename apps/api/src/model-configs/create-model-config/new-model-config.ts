import {
  invalidModelConfig,
  ModelConfigDefinition,
  normalizeModelConfig,
  Scope,
  validateModelConfig,
} from '@app/governance';
import { ModelConfigInput } from '../write-side/model-config-body';

/**
 * The definition a create body asks for, with server-assigned ids (config, budgets without
 * one, rate limit) and times. Throws GovernanceError with Bifrost's message on a broken rule.
 */
export function newModelConfig(
  input: ModelConfigInput,
  newId: () => string,
  now: Date,
): ModelConfigDefinition {
  if (!input.modelName) throw invalidModelConfig('Model name is required');
  const rl = input.rateLimit ?? null;
  const definition = normalizeModelConfig({
    id: newId(),
    modelName: input.modelName,
    provider: input.provider ?? null,
    // Validated just below: the type is only a promise until then.
    scope: (input.scope || 'global') as Scope,
    scopeId: input.scopeId ?? null,
    scopeName: input.scopeName ?? null,
    calendarAligned: input.calendarAligned ?? false,
    budgets: (input.budgets ?? []).map((b) => ({
      id: b.id ?? newId(),
      maxLimit: b.maxLimit,
      resetDuration: b.resetDuration,
    })),
    rateLimit: rl && { id: newId(), ...rl },
    createdAt: now,
    updatedAt: now,
  });
  validateModelConfig(definition);
  return definition;
}
