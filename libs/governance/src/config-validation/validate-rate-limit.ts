import { invalidModelConfig } from '../errors/governance-error';
import { RateLimitDefinition } from '../model/model-config';
import { checkDuration } from './check-duration';
import { checkText } from './check-length';

export function validateRateLimit(rateLimit: RateLimitDefinition): void {
  checkText('rate_limit id', rateLimit.id);
  if (rateLimit.tokenMaxLimit === null && rateLimit.requestMaxLimit === null) {
    throw invalidModelConfig('rate limit must set token_max_limit or request_max_limit');
  }
  validateDimension('token', rateLimit.tokenMaxLimit, rateLimit.tokenResetDuration);
  validateDimension('request', rateLimit.requestMaxLimit, rateLimit.requestResetDuration);
}

/** A reset duration without its max limit is ignored: it counts nothing, so it cannot do harm. */
function validateDimension(
  name: 'token' | 'request',
  maxLimit: number | null,
  resetDuration: string | null,
): void {
  if (maxLimit === null) return;
  // Safe integers only: the counter is a bigint and the limit must convert to it exactly.
  if (!Number.isSafeInteger(maxLimit) || maxLimit <= 0) {
    throw invalidModelConfig(`rate limit ${name}_max_limit must be a positive integer`);
  }
  if (resetDuration === null || resetDuration === '') {
    throw invalidModelConfig(`${name}_reset_duration is required when ${name}_max_limit is set`);
  }
  checkDuration(`${name}_reset_duration`, `${name}_reset_duration`, resetDuration);
}
