import { GovernanceError, GovernanceErrorCode } from '@app/governance';
import { DEAD_LETTER_CODES, DeadLetterCode, DeadLetterReason } from './dead-letter-reason';

/** A config event that breaks a governance rule is dead-lettered with this code. */
export function deadLetterCodeOf(code: GovernanceErrorCode): DeadLetterCode {
  switch (code) {
    case 'invalid_model_config':
    case 'scope_immutable':
    case 'invalid_history_range': // a read's rule: no event breaks it, listed for exhaustiveness
      return 'invalid_config';
    case 'identity_conflict':
      return 'identity_conflict';
    case 'version_conflict':
      return 'version_conflict';
    case 'not_found':
      return 'config_not_found';
  }
}

export const deadLetterReasonOf = (error: GovernanceError): DeadLetterReason => ({
  code: deadLetterCodeOf(error.code),
  message: error.message,
});

/**
 * The rule a dead-lettered config event broke, for the API that sent it. Only config events come
 * back this way; the record-level codes cannot arise from the API's own encoder, so they read
 * as an invalid config.
 */
export function governanceCodeOf(code: DeadLetterCode): GovernanceErrorCode {
  switch (code) {
    case 'identity_conflict':
      return 'identity_conflict';
    case 'version_conflict':
      return 'version_conflict';
    case 'config_not_found':
      return 'not_found';
    case 'invalid_config':
    case 'invalid_json':
    case 'not_cloudevent':
    case 'unsupported_content_type':
    case 'unknown_type':
    case 'missing_field':
    case 'invalid_field':
    case 'negative_tokens':
    case 'invalid_cost':
    case 'oversized':
    case 'future_time':
    case 'too_old':
    case 'unprocessable': // PostgreSQL refused what it holds: resending can never succeed
      return 'invalid_model_config';
  }
}

export const isDeadLetterCode = (value: string): value is DeadLetterCode =>
  (DEAD_LETTER_CODES as readonly string[]).includes(value);
