import { invalidModelConfig } from '../errors/governance-error';

/** Identifiers are stored in varchar(255) columns; refuse early rather than fail in the database. */
export const MAX_IDENTIFIER_LENGTH = 255;

export function checkLength(field: string, value: string | null): void {
  if (value !== null && value.length > MAX_IDENTIFIER_LENGTH) {
    throw invalidModelConfig(`${field} must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
  }
}
