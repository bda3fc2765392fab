import { parseDollars } from '@app/governance';
import { badRequest } from '../../http/api-error';

export interface BudgetInput {
  /** null: the server picks (a new id, or on update the budget with the same reset_duration) */
  id: string | null;
  maxLimit: bigint;
  resetDuration: string;
}

export interface RateLimitInput {
  tokenMaxLimit: number | null;
  tokenResetDuration: string | null;
  requestMaxLimit: number | null;
  requestResetDuration: string | null;
}

/** The fields a create or update body sets; `undefined` = not in the body. */
export interface ModelConfigInput {
  modelName?: string | null;
  provider?: string | null;
  scope?: string | null;
  scopeId?: string | null;
  scopeName?: string | null;
  calendarAligned?: boolean;
  budgets?: BudgetInput[];
  /** null = no rate limit (also for an object whose two max limits are null) */
  rateLimit?: RateLimitInput | null;
}

type Json = Record<string, unknown>;

/**
 * Reads the JSON shape of a create/update body; a wrong type is a 400 naming the field. The
 * governance rules (required, positive, durations) are checked on the resulting definition.
 */
export function readModelConfigBody(body: unknown): ModelConfigInput {
  if (!isObject(body)) throw badRequest('Invalid JSON: the body must be a JSON object');
  if (body.rate_limits !== undefined) {
    throw badRequest('rate_limits is not supported: use rate_limit');
  }
  return {
    modelName: optionalString(body, 'model_name'),
    provider: optionalString(body, 'provider'),
    scope: optionalString(body, 'scope'),
    scopeId: optionalString(body, 'scope_id'),
    scopeName: optionalString(body, 'scope_name'),
    calendarAligned: optionalBoolean(body, 'calendar_aligned'),
    budgets: budgetsOf(body.budgets),
    rateLimit: rateLimitOf(body.rate_limit),
  };
}

function budgetsOf(value: unknown): BudgetInput[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('Invalid budgets: must be an array');
  return value.map((item: unknown, i) => {
    const field = `budgets[${i}]`;
    if (!isObject(item)) throw badRequest(`Invalid ${field}: must be an object`);
    const resetDuration = item.reset_duration;
    if (typeof resetDuration !== 'string') {
      throw badRequest(`Invalid ${field}.reset_duration: must be a string`);
    }
    return {
      id: optionalString(item, 'id', field) ?? null,
      maxLimit: dollarsOf(item.max_limit, `${field}.max_limit`),
      resetDuration,
    };
  });
}

function dollarsOf(value: unknown, field: string): bigint {
  if (typeof value !== 'number') throw badRequest(`Invalid ${field}: must be a number`);
  // Bifrost's wording and its two decimals.
  if (value < 0) throw badRequest(`Budget max_limit cannot be negative: ${value.toFixed(2)}`);
  const nanos = parseDollars(value);
  if (nanos === null) throw badRequest(`Invalid ${field}: not an amount of dollars`);
  return nanos;
}

function rateLimitOf(value: unknown): RateLimitInput | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!isObject(value)) throw badRequest('Invalid rate_limit: must be an object or null');
  const tokenMaxLimit = optionalNumber(value, 'token_max_limit', 'rate_limit') ?? null;
  const requestMaxLimit = optionalNumber(value, 'request_max_limit', 'rate_limit') ?? null;
  const tokenResetDuration = optionalString(value, 'token_reset_duration', 'rate_limit') ?? null;
  const requestResetDuration =
    optionalString(value, 'request_reset_duration', 'rate_limit') ?? null;
  // Both limits null means "no rate limit" (Bifrost removes it on update).
  if (tokenMaxLimit === null && requestMaxLimit === null) return null;
  return {
    tokenMaxLimit,
    // A duration without its limit counts nothing: it is not kept.
    tokenResetDuration: tokenMaxLimit === null ? null : tokenResetDuration,
    requestMaxLimit,
    requestResetDuration: requestMaxLimit === null ? null : requestResetDuration,
  };
}

function optionalString(o: Json, key: string, parent?: string): string | null | undefined {
  const value = o[key];
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw badRequest(`Invalid ${path(parent, key)}: must be a string or null`);
}

function optionalNumber(o: Json, key: string, parent?: string): number | null | undefined {
  const value = o[key];
  if (value === undefined || value === null || typeof value === 'number') return value;
  throw badRequest(`Invalid ${path(parent, key)}: must be a number or null`);
}

function optionalBoolean(o: Json, key: string): boolean | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  throw badRequest(`Invalid ${key}: must be a boolean`);
}

const path = (parent: string | undefined, key: string): string =>
  parent === undefined ? key : `${parent}.${key}`;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
