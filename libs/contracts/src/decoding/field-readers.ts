import {
  isSupportedTime,
  MAX_SUPPORTED_TIME,
  MIN_SUPPORTED_TIME,
  parseDollars,
  unstorableTextReason,
} from '@app/governance';
import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import { describeValue, isJsonObject, JsonObject } from './json-value';
import { parseRfc3339 } from './rfc3339-time';

// Readers take the already-fetched value and a label naming the field (`data.model`), so the hot
// path allocates nothing unless a record is rejected.

/** Longest accepted string field: ids, names and labels never legitimately get near it. */
export const MAX_STRING_LENGTH = 1024;

function checkedString(value: unknown, label: string, nonEmpty: boolean): string {
  if (typeof value !== 'string') {
    const expected = nonEmpty ? 'a non-empty string' : 'a string';
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be ${expected}, got ${describeValue(value)}`,
    );
  }
  if (value.length > MAX_STRING_LENGTH) {
    throw new InvalidRecordError(
      'oversized',
      `${label} is ${value.length} characters long; the limit is ${MAX_STRING_LENGTH}`,
    );
  }
  if (nonEmpty && value.length === 0) {
    throw new InvalidRecordError('invalid_field', `${label} must be a non-empty string, got ""`);
  }
  const unstorable = unstorableTextReason(value);
  if (unstorable !== null) throw new InvalidRecordError('invalid_field', `${label} ${unstorable}`);
  return value;
}

export function requiredString(value: unknown, label: string, nonEmpty = true): string {
  if (value === undefined) throw new InvalidRecordError('missing_field', `${label} is required`);
  return checkedString(value, label, nonEmpty);
}

/** Absent and null both mean "not set". */
export function optionalString(value: unknown, label: string, nonEmpty = true): string | null {
  if (value === undefined || value === null) return null;
  return checkedString(value, label, nonEmpty);
}

export function optionalBoolean(value: unknown, label: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be true or false, got ${describeValue(value)}`,
    );
  }
  return value;
}

export function requiredObject(value: unknown, label: string): JsonObject {
  if (value === undefined) throw new InvalidRecordError('missing_field', `${label} is required`);
  if (!isJsonObject(value)) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be a JSON object, got ${describeValue(value)}`,
    );
  }
  return value;
}

export function requiredTime(value: unknown, label: string): Date {
  const text = requiredString(value, label);
  const time = parseRfc3339(text);
  if (time === null) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be an RFC 3339 timestamp with a timezone (e.g. 2026-11-27T10:00:00Z), got ${describeValue(text)}`,
    );
  }
  if (!isSupportedTime(time)) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} ${text} is outside the supported range ${MIN_SUPPORTED_TIME.toISOString()} to ${MAX_SUPPORTED_TIME.toISOString()}`,
    );
  }
  return time;
}

/** A count that may be absent (`undefined`) or null; negative numbers have their own code. */
export function optionalTokenCount(value: unknown, label: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value < 0) {
    throw new InvalidRecordError('negative_tokens', `${label} must not be negative, got ${value}`);
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be a non-negative integer, got ${describeValue(value)}`,
    );
  }
  // -0 passes the checks above; keep it from leaking into counters and equality checks.
  return value === 0 ? 0 : value;
}

/** A non-negative integer limit or null (rate-limit maxima); semantics are checked by governance. */
export function optionalInteger(value: unknown, label: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be an integer or null, got ${describeValue(value)}`,
    );
  }
  return value === 0 ? 0 : value;
}

/**
 * USD as a JSON number or a decimal string, exactly, in nano-dollars. A JSON number has already
 * been through a binary float, so its shortest decimal form is used: `0.1` stays `0.1`.
 */
export function dollars(value: unknown): bigint | null {
  if (typeof value === 'string')
    return value.length > MAX_STRING_LENGTH ? null : parseDollars(value);
  if (typeof value === 'number') return parseDollars(String(value));
  return null;
}
