import {
  GovernanceError,
  ModelConfigDefinition,
  normalizeModelConfig,
  Scope,
  SCOPES,
  validateModelConfig,
} from '@app/governance';
import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import { deadLetterCodeOf } from '../dead-letter/governance-dead-letter';
import {
  optionalBoolean,
  optionalString,
  requiredObject,
  requiredString,
  requiredTime,
} from './field-readers';
import { readBudgets, readRateLimit } from './model-config-limits.decoder';

function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

function readScope(value: unknown): Scope {
  const scope = requiredString(value, 'data.scope');
  // Same wording as the management API, which rejects the same configs.
  if (!isScope(scope)) throw new InvalidRecordError('invalid_config', `Invalid scope "${scope}"`);
  return scope;
}

function validated(definition: ModelConfigDefinition): ModelConfigDefinition {
  const normalized = normalizeModelConfig(definition);
  try {
    validateModelConfig(normalized);
  } catch (error) {
    if (error instanceof GovernanceError) {
      throw new InvalidRecordError(deadLetterCodeOf(error.code), error.message);
    }
    throw error;
  }
  return normalized;
}

/** `governance.model_config.upserted.v1` data (snake_case) -> a validated ModelConfigDefinition. */
export function decodeModelConfigUpserted(value: unknown, label: string): ModelConfigDefinition {
  const data = requiredObject(value, label);
  return validated({
    id: requiredString(data.id, 'data.id'),
    // Empty strings are well-typed: governance rejects them with the API's own messages.
    modelName: requiredString(data.model_name, 'data.model_name', false),
    provider: optionalString(data.provider, 'data.provider', false),
    scope: readScope(data.scope),
    // "" is "not set", so a non-global config without one fails validation with its usual message.
    scopeId: optionalString(data.scope_id, 'data.scope_id', false) || null,
    scopeName: optionalString(data.scope_name, 'data.scope_name', false),
    calendarAligned: optionalBoolean(data.calendar_aligned, 'data.calendar_aligned', false),
    budgets: readBudgets(data.budgets),
    rateLimit: readRateLimit(data.rate_limit),
    createdAt: requiredTime(data.created_at, 'data.created_at'),
    updatedAt: requiredTime(data.updated_at, 'data.updated_at'),
  });
}
