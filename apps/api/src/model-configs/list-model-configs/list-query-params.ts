import { Scope, SCOPES, unstorableTextReason } from '@app/governance';
import { ConfigListQuery } from '@app/ledger';
import { badRequest } from '../../http/api-error';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** The ledger's listing query, plus which read model answers it. */
export interface ListParams extends ConfigListQuery {
  fromMemory: boolean;
}

/** What Express hands over for one query parameter. */
export type RawQuery = Record<string, unknown>;

const INTEGER = /^[+-]?\d+$/;

/**
 * The same validation for both read paths. An empty value (`?limit=`) counts as absent and a
 * repeated parameter uses its first value, as Bifrost's `Peek` does; unknown ones are ignored.
 */
export function parseListParams(query: RawQuery): ListParams {
  const limit = integerParam(query, 'limit');
  if (limit !== null && limit < 1) throw badRequest('Invalid limit parameter: must be at least 1');
  const offset = integerParam(query, 'offset');
  if (offset !== null && offset < 0) {
    throw badRequest('Invalid offset parameter: must be non-negative');
  }
  return {
    limit: Math.min(limit ?? DEFAULT_LIMIT, MAX_LIMIT),
    offset: Math.min(offset ?? 0, Number.MAX_SAFE_INTEGER),
    search: stringParam(query, 'search'),
    scope: scopeParam(query),
    scopeId: stringParam(query, 'scope_id'),
    provider: stringParam(query, 'provider'),
    fromMemory: parseFromMemory(query),
  };
}

export function parseFromMemory(query: RawQuery): boolean {
  const value = stringParam(query, 'from_memory');
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  throw badRequest('Invalid from_memory parameter: must be true or false');
}

function scopeParam(query: RawQuery): Scope | null {
  const value = stringParam(query, 'scope');
  if (value === null) return null;
  if (!(SCOPES as readonly string[]).includes(value)) {
    throw badRequest(`Invalid scope parameter: must be one of ${SCOPES.join(', ')}`);
  }
  return value as Scope;
}

function integerParam(query: RawQuery, name: string): number | null {
  const value = stringParam(query, name);
  if (value === null) return null;
  if (!INTEGER.test(value)) throw badRequest(`Invalid ${name} parameter: must be a number`);
  return Number(value);
}

function stringParam(query: RawQuery, name: string): string | null {
  const raw = query[name];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  // `a[b]=c` parses to an object: not a value this API understands.
  if (first !== undefined && typeof first !== 'string') {
    throw badRequest(`Invalid ${name} parameter: must be a single value`);
  }
  if (first === undefined || first === '') return null;
  // A filter PostgreSQL cannot even compare (`%00`) is the caller's mistake, not a 500.
  const unstorable = unstorableTextReason(first);
  if (unstorable !== null) throw badRequest(`Invalid ${name} parameter: ${unstorable}`);
  return first;
}
