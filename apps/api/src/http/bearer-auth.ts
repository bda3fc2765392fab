import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthOutcome = { ok: true } | { ok: false; message: string };

const USE_BEARER = 'use Authorization: Bearer <API key>';

/** SHA-256 first: equal-length buffers for timingSafeEqual, whatever the key lengths. */
export const digestOf = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

// Tokens that matched, per list of configured digests. Only exact configured keys get in (a
// match means the token's SHA-256 equals a key's), so a list holds at most as many tokens as
// there are keys; the cap is there only in case keys are ever rotated in place.
//
// Why this keeps timing safety: the hit path's speed tells an attacker only that the token
// they sent is a key they already know works (the answer says so anyway). A token that is not
// a key never enters, so it always takes the full path below, digest and every comparison, and
// what that path leaks (nothing, by design) is unchanged. The Map lookup itself compares a
// presented string with a cached key only when their (seeded) string hashes are equal, and
// then byte by byte: a near-miss token would have to collide on the hash first, which an
// attacker can neither aim for nor observe, so no prefix of a key can be learned from it.
const MAX_MATCHED_PER_LIST = 64;
const matchedTokens = new WeakMap<readonly Buffer[], Set<string>>();

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
  const token = rest[0];
  const matchedBefore = matchedTokens.get(keyDigests);
  if (matchedBefore?.has(token)) return OK;
  const presented = digestOf(token);
  let matched = false;
  for (const digest of keyDigests) {
    matched = timingSafeEqual(presented, digest) || matched;
  }
  if (!matched) return { ok: false, message: 'Unauthorized' };
  remember(keyDigests, token, matchedBefore);
  return OK;
}

const OK: AuthOutcome = { ok: true };

function remember(keyDigests: readonly Buffer[], token: string, known?: Set<string>): void {
  const tokens = known ?? new Set<string>();
  if (known === undefined) matchedTokens.set(keyDigests, tokens);
  if (tokens.size >= MAX_MATCHED_PER_LIST) tokens.clear();
  tokens.add(token);
}
