import { amountFor, LimitsByIdentity } from '../charging/charge-amount';
import { matchingLimits } from '../charging/charge-accumulator';
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
 */
export function planAdmission(
  request: AdmissionRequest,
  limitsByIdentity: LimitsByIdentity,
  now: Date,
): AdmissionLimit[] {
  const usage = estimatedUsage(request, now);
  return matchingLimits(usage, limitsByIdentity).map((limit) => ({
    limit,
    windowStartMs: windowStartMs(limit, now),
    resetsAtMs: windowEnd(limit, now).getTime(),
    amount: amountFor(limit.dimension, usage),
  }));
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
