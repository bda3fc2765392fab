import { createHash } from 'node:crypto';
import { formatDollarsString } from '../money/nanos';
import {
  BudgetDefinition,
  ModelConfigDefinition,
  RateLimitDefinition,
} from '../model/model-config';
import { CanonicalValue, canonicalJson } from './canonical-json';

/**
 * Change detection for definitions: only what a user declared is hashed, never usage, anchors or
 * timestamps, so re-applying the same definition is recognisably a no-op.
 */
export function configHash(def: ModelConfigDefinition): string {
  return sha256(canonicalConfig(def));
}

export function budgetHash(budget: BudgetDefinition): string {
  return sha256(canonicalBudget(budget));
}

export function rateLimitHash(rateLimit: RateLimitDefinition): string {
  return sha256(canonicalRateLimit(rateLimit));
}

function canonicalConfig(def: ModelConfigDefinition): CanonicalValue {
  return {
    id: def.id,
    model_name: def.modelName,
    provider: def.provider,
    scope: def.scope,
    scope_id: def.scope === 'global' ? null : def.scopeId,
    calendar_aligned: def.calendarAligned,
    // Sorted by id: budgets are a set, their listing order means nothing.
    budgets: [...def.budgets].sort((a, b) => compare(a.id, b.id)).map(canonicalBudget),
    rate_limit: def.rateLimit ? canonicalRateLimit(def.rateLimit) : null,
  };
}

// Dollars as an exact decimal string, so the hash never depends on float formatting.
const canonicalBudget = (budget: BudgetDefinition): CanonicalValue => ({
  id: budget.id,
  max_limit: formatDollarsString(budget.maxLimit),
  reset_duration: budget.resetDuration,
});

const canonicalRateLimit = (rl: RateLimitDefinition): CanonicalValue => ({
  id: rl.id,
  token_max_limit: rl.tokenMaxLimit,
  token_reset_duration: rl.tokenResetDuration,
  request_max_limit: rl.requestMaxLimit,
  request_reset_duration: rl.requestResetDuration,
});

// Code-unit order, not localeCompare: the hash must not depend on the machine's locale.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sha256 = (value: CanonicalValue): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex');
