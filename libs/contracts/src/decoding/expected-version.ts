import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import { describeValue } from './json-value';

/**
 * The `expectedversion` extension attribute: a positive integer (a string in binary mode, where
 * headers are text). Absent means "apply whatever the current version".
 */
export function readExpectedVersion(value: unknown, label: string): number | null {
  if (value === undefined || value === null) return null;
  const version = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidRecordError(
      'invalid_field',
      `${label} must be a positive integer, got ${describeValue(value)}`,
    );
  }
  return version;
}
