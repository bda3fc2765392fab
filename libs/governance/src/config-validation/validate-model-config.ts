import { invalidModelConfig } from '../errors/governance-error';
import { ModelConfigDefinition, SCOPES } from '../model/model-config';
import { validateBudgets } from './validate-budgets';
import { checkText } from './check-length';
import { validateRateLimit } from './validate-rate-limit';

/** Throws `GovernanceError('invalid_model_config')` with the first rule the definition breaks. */
export function validateModelConfig(def: ModelConfigDefinition): void {
  checkText('id', def.id);
  if (def.modelName === '') throw invalidModelConfig('Model name is required');
  checkText('model_name', def.modelName);
  // The type says Scope, but definitions arrive from the wire and from stored events.
  if (!(SCOPES as readonly string[]).includes(def.scope)) {
    throw invalidModelConfig(`Invalid scope "${def.scope}"`);
  }
  if (def.scope !== 'global' && (def.scopeId === null || def.scopeId === '')) {
    throw invalidModelConfig('scope_id is required when scope is not global');
  }
  checkText('scope_id', def.scopeId);
  if (def.provider === '') throw invalidModelConfig('provider cannot be an empty string');
  checkText('provider', def.provider);
  checkText('scope_name', def.scopeName);
  validateBudgets(def.budgets);
  if (def.rateLimit) validateRateLimit(def.rateLimit);
}

/** A global config has no scope id; dropping a stray one keeps global identities unique. */
export function normalizeModelConfig(def: ModelConfigDefinition): ModelConfigDefinition {
  return def.scope === 'global' ? { ...def, scopeId: null } : def;
}
