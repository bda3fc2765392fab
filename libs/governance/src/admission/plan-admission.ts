import { amountFor, LimitsByIdentity } from '../charging/charge-amount';
import { limitsOfIdentities } from '../charging/charge-accumulator';
import { matchingIdentityKeys } from '../matching/matching-identities';
import { TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';
import { windowEnd, windowStartMs } from '../window/window-start';
import { AdmissionRequest } from './admission-request';

/** One limit an admission must fit under, in the window that contains `now`. */
export interface AdmissionLimit {
  limit: TrackedLimit;
  windowStartMs: number;
  /** exclusive end of the window: when its usage resets */
  resetsAtMs: number;
  /** what this request holds against the limit: its estimate, or 1 request */
  amount: bigint;
}

/**
 * The limits an admission is checked against: exactly those a usage event with the same
 * fields, sent now and costing the estimate, would be charged to (same scopes, tiers, windows).
 * `identities` are the request's `matchingIdentityKeys`, when the caller already has them (it
 * needed them to fetch the configs): building them again is a JSON string per tier.
 */
export function planAdmission(
  request: AdmissionRequest,
  limitsByIdentity: LimitsByIdentity,
  now: Date,
  identities: readonly string[] = matchingIdentityKeys(estimatedUsage(request, now)),
): AdmissionLimit[] {
  const usage = estimatedUsage(request, now);
  return limitsOfIdentities(identities, limitsByIdentity).map((limit) => {
    const window = windowOf(limit, now);
    return {
      limit,
      windowStartMs: window.startMs,
      resetsAtMs: window.endMs,
      amount: amountFor(limit.dimension, usage),
    };
  });
}

interface PlannedWindow {
  startMs: number;
  endMs: number;
}

// The window each limit was last planned in: the admissions of one window all fall in it, and
// two comparisons cost less than the window arithmetic (two duration lookups and a Date per
// limit). Keyed by the limit object, which lives as long as the configs it came with.
const lastWindows = new WeakMap<TrackedLimit, PlannedWindow>();

function windowOf(limit: TrackedLimit, now: Date): PlannedWindow {
  const t = now.getTime();
  const last = lastWindows.get(limit);
  if (last !== undefined && t >= last.startMs && t < last.endMs) return last;
  const window = { startMs: windowStartMs(limit, now), endMs: windowEnd(limit, now).getTime() };
  lastWindows.set(limit, window);
  return window;
}

/** The usage event the gateway expects to send: a successful, non-streamed call. */
export function estimatedUsage(request: AdmissionRequest, now: Date): UsageRecord {
  return {
    requestId: request.requestId,
    provider: request.provider,
    model: request.model,
    virtualKeyId: request.virtualKeyId,
    userId: request.userId,
    success: true,
    inputTokens: request.estimatedTokens,
    outputTokens: 0,
    totalTokens: request.estimatedTokens,
    cost: request.estimatedCost,
    streaming: false,
    finalChunk: true,
    time: now,
  };
}

/** Seconds until the earliest of the blocking windows resets: the Retry-After hint (>= 1). */
export function retryAfterSeconds(resetsAtMs: readonly number[], now: Date): number {
  const earliest = Math.min(...resetsAtMs);
  return Math.max(1, Math.ceil((earliest - now.getTime()) / 1000));
}
