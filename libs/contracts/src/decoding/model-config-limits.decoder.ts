import { BudgetDefinition, RateLimitDefinition } from '@app/governance';
import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import {
  dollars,
  optionalInteger,
  optionalString,
  requiredObject,
  requiredString,
} from './field-readers';
import { describeValue } from './json-value';

// Only shapes and types are checked here; limits and durations are judged by governance's
// validateModelConfig so the API and the event stream accept exactly the same configs.

function readBudget(value: unknown, label: string): BudgetDefinition {
  const budget = requiredObject(value, label);
  const maxLimit = dollars(budget.max_limit);
  if (maxLimit === null) {
    if (budget.max_limit === undefined) {
      throw new InvalidRecordError('missing_field', `${label}.max_limit is required`);
    }
    throw new InvalidRecordError(
      'invalid_field',
      `${label}.max_limit must be a non-negative USD amount (a JSON number or a decimal string), got ${describeValue(budget.max_limit)}`,
    );
  }
  return {
    id: requiredString(budget.id, `${label}.id`),
    maxLimit,
    resetDuration: requiredString(budget.reset_duration, `${label}.reset_duration`),
  };
}

export function readBudgets(value: unknown): BudgetDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new InvalidRecordError(
      'invalid_field',
      `data.budgets must be an array, got ${describeValue(value)}`,
    );
  }
  return value.map((budget, index) => readBudget(budget, `data.budgets[${index}]`));
}

export function readRateLimit(value: unknown): RateLimitDefinition | null {
  if (value === undefined || value === null) return null;
  const rateLimit = requiredObject(value, 'data.rate_limit');
  return {
    id: requiredString(rateLimit.id, 'data.rate_limit.id'),
    tokenMaxLimit: optionalInteger(rateLimit.token_max_limit, 'data.rate_limit.token_max_limit'),
    tokenResetDuration: optionalString(
      rateLimit.token_reset_duration,
      'data.rate_limit.token_reset_duration',
    ),
    requestMaxLimit: optionalInteger(
      rateLimit.request_max_limit,
      'data.rate_limit.request_max_limit',
    ),
    requestResetDuration: optionalString(
      rateLimit.request_reset_duration,
      'data.rate_limit.request_reset_duration',
    ),
  };
}
