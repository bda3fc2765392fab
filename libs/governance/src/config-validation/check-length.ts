import { invalidModelConfig } from '../errors/governance-error';
import { unstorableTextReason } from '../limits-of-input/storable-text';

/** Identifiers are stored in varchar(255) columns; refuse early rather than fail in the database. */
export const MAX_IDENTIFIER_LENGTH = 255;

/** Every text of a config: bounded, and storable by PostgreSQL exactly as sent. */
export function checkText(
  field: string,
  value: string | null,
  maxLength = MAX_IDENTIFIER_LENGTH,
): void {
  if (value === null) return;
  if (value.length > maxLength) {
    throw invalidModelConfig(`${field} must be at most ${maxLength} characters`);
  }
  const unstorable = unstorableTextReason(value);
  if (unstorable !== null) throw invalidModelConfig(`${field} ${unstorable}`);
}
