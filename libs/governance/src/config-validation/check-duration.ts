import {
  MAX_DURATION_MS,
  MAX_DURATION_TEXT,
  MAX_DURATION_TEXT_LENGTH,
  parseDuration,
} from '../duration/parse-duration';
import { invalidModelConfig } from '../errors/governance-error';
import { checkText } from './check-length';

/**
 * A reset duration: short text, positive, and at most MAX_DURATION_MS (windows of "400 nines
 * hours" would be Infinity and break every date computed from them). Returns milliseconds.
 */
export function checkDuration(field: string, label: string, text: string): number {
  checkText(field, text, MAX_DURATION_TEXT_LENGTH);
  const ms = parseDuration(text);
  if (ms === null || !(ms > 0)) {
    throw invalidModelConfig(`Invalid ${label} (must be a positive duration): ${text}`);
  }
  if (ms > MAX_DURATION_MS) {
    throw invalidModelConfig(`Invalid ${label} (must be at most ${MAX_DURATION_TEXT}): ${text}`);
  }
  return ms;
}
