import {
  AdmissionRequest,
  MAX_ADMISSION_HOLD_MS,
  MAX_IDENTIFIER_LENGTH,
  parseDollars,
  parseDuration,
} from '@app/governance';
import { badRequest } from '../../http/api-error';

type Json = Record<string, unknown>;

// Far above any one model call; keeps every amount exact in the admission script (< 2^53).
export const MAX_ESTIMATED_COST_NANOS = 1_000_000n * 1_000_000_000n; // $1,000,000
export const MAX_ESTIMATED_TOKENS = 1_000_000_000_000;

/** The POST body -> an admission request; every fault is a 400 naming the field and the rule. */
export function readAdmissionBody(body: unknown, defaultHoldMs: number): AdmissionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Invalid JSON: the body must be a JSON object');
  }
  const o = body as Json;
  return {
    requestId: identifier(o, 'request_id', true) as string,
    provider: identifier(o, 'provider', true) as string,
    model: identifier(o, 'model', true) as string,
    virtualKeyId: identifier(o, 'virtual_key_id', false),
    userId: identifier(o, 'user_id', false),
    estimatedCost: estimatedCost(o.estimated_cost),
    estimatedTokens: estimatedTokens(o.estimated_tokens),
    holdMs: holdFor(o.hold_for, defaultHoldMs),
  };
}

/** The same rules as config identifiers, plus no NUL (a usage event could never carry it). */
export function identifier(o: Json, field: string, required: boolean): string | null {
  const value = o[field];
  if (value === undefined || value === null) {
    if (required) throw badRequest(`${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw badRequest(`Invalid ${field}: must be a string`);
  if (value.length === 0) {
    if (required) throw badRequest(`Invalid ${field}: must not be empty`);
    return null; // as in usage events: "" names no key and no user
  }
  if (value.length > MAX_IDENTIFIER_LENGTH) {
    throw badRequest(`Invalid ${field}: must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  if (value.includes('\u0000')) throw badRequest(`Invalid ${field}: must not contain NUL`);
  return value;
}

function estimatedCost(value: unknown): bigint {
  if (value === undefined || value === null) return 0n;
  const rule = 'must be a non-negative USD amount (a number or a decimal string such as "0.25")';
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw badRequest(`Invalid estimated_cost: ${rule}`);
  }
  const nanos = String(value).length > 64 ? null : parseDollars(value);
  if (nanos === null) throw badRequest(`Invalid estimated_cost: ${rule}`);
  if (nanos > MAX_ESTIMATED_COST_NANOS) {
    throw badRequest('Invalid estimated_cost: must be at most 1000000 dollars');
  }
  return nanos;
}

function estimatedTokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest('Invalid estimated_tokens: must be a non-negative integer');
  }
  if (value > MAX_ESTIMATED_TOKENS) {
    throw badRequest(`Invalid estimated_tokens: must be at most ${MAX_ESTIMATED_TOKENS}`);
  }
  return value === 0 ? 0 : value;
}

function holdFor(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const rule = 'must be a positive duration of at most 24h, such as "30s" or "5m"';
  if (typeof value !== 'string' || value.length > 64) {
    throw badRequest(`Invalid hold_for: ${rule}`);
  }
  const ms = parseDuration(value);
  if (ms === null || !(ms >= 1) || ms > MAX_ADMISSION_HOLD_MS) {
    throw badRequest(`Invalid hold_for: ${rule}`);
  }
  return Math.floor(ms);
}
