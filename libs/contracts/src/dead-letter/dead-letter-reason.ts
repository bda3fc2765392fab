import { storableText } from '@app/governance';

/** Why a Kafka record was dead-lettered. Codes are part of the DLQ contract: never rename. */
export const DEAD_LETTER_CODES = [
  'invalid_json',
  'not_cloudevent',
  'unsupported_content_type',
  'unknown_type',
  'missing_field',
  'invalid_field',
  'negative_tokens',
  'invalid_cost',
  'oversized',
  'future_time',
  'too_old',
  'invalid_config',
  'identity_conflict',
  'version_conflict',
  'config_not_found',
  'unprocessable',
] as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number];

export interface DeadLetterReason {
  code: DeadLetterCode;
  message: string;
}

/** The (source, id) of a rejected record, when its envelope was readable that far. */
export interface RecordIdentity {
  source: string;
  id: string;
}

/** A record that could not become an event: the reason travels with it to the DLQ. */
export class InvalidRecordError extends Error {
  /** set once the envelope's identity was read, so whoever published it can find the verdict */
  identity: RecordIdentity | null = null;

  constructor(
    readonly code: DeadLetterCode,
    message: string,
  ) {
    // Messages quote what producers sent (a parser's excerpt may hold NUL): keep them storable.
    super(storableText(message));
  }
}
