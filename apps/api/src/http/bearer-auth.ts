import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthOutcome = { ok: true } | { ok: false; message: string };

const USE_BEARER = 'use Authorization: Bearer <API key>';

/** SHA-256 first: equal-length buffers for timingSafeEqual, whatever the key lengths. */
export const digestOf = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * Management APIs take an API key as a bearer token, nothing else. Every configured key is
 * compared (no early exit), so the time taken does not tell which key, if any, was close.
 */
export function authenticate(
  authorization: string | undefined,
  apiKeyHeader: string | undefined,
  keyDigests: readonly Buffer[],
): AuthOutcome {
  if (authorization === undefined || authorization === '') {
    return apiKeyHeader === undefined
      ? { ok: false, message: 'Unauthorized' }
      : { ok: false, message: `Unauthorized: x-api-key is not accepted here; ${USE_BEARER}` };
  }
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  if (scheme.toLowerCase() === 'basic') {
    return {
      ok: false,
      message: `Unauthorized: Basic credentials are not accepted here; ${USE_BEARER}`,
    };
  }
  if (scheme.toLowerCase() !== 'bearer' || rest.length !== 1) {
    return { ok: false, message: `Unauthorized: ${USE_BEARER}` };
  }
  const presented = digestOf(rest[0]);
  let matched = false;
  for (const digest of keyDigests) {
    matched = timingSafeEqual(presented, digest) || matched;
  }
  return matched ? { ok: true } : { ok: false, message: 'Unauthorized' };
}
