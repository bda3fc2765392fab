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
  'invalid_config',
  'identity_conflict',
  'version_conflict',
  'config_not_found',
] as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number];

export interface DeadLetterReason {
  code: DeadLetterCode;
  message: string;
}

/** A record that could not become an event: the reason travels with it to the DLQ. */
export class InvalidRecordError extends Error {
  constructor(
    readonly code: DeadLetterCode,
    message: string,
  ) {
    super(message);
  }
}
