import { formatDollars, retryAfterSeconds } from '@app/governance';
import { AdmissionDecision, DecidedLimit } from '@app/ledger';
import {
  AdmissionLimitView,
  AdmissionResponse,
  BlockingLimitView,
  LimitKindView,
} from './admission.view';

/** A decision as the gateway reads it; a repeat renders exactly as the first answer did. */
export function presentDecision(d: AdmissionDecision): AdmissionResponse {
  if (d.allowed) {
    return {
      allowed: true,
      request_id: d.requestId,
      reservation_id: d.requestId,
      expires_at: new Date(d.expiresAtMs).toISOString(),
      limits: d.limits.map(presentLimit),
    };
  }
  const blocked = d.limits.filter((l) => l.exceeded);
  return {
    allowed: false,
    request_id: d.requestId,
    blocked_by: blocked.map(presentBlocking),
    // From the decision time, so a repeat says the same.
    retry_after_seconds: retryAfterSeconds(
      blocked.map((l) => l.resetsAtMs),
      new Date(d.decidedAtMs),
    ),
  };
}

/** Redis was away and ADMISSION_FAILURE_MODE=open: allowed, unchecked, nothing held. */
export function presentDegraded(requestId: string, holdMs: number, now: Date): AdmissionResponse {
  return {
    allowed: true,
    degraded: true,
    request_id: requestId,
    reservation_id: requestId,
    expires_at: new Date(now.getTime() + holdMs).toISOString(),
    limits: [],
  };
}

function presentLimit(l: DecidedLimit): AdmissionLimitView {
  const reserved = l.reserved + l.amount;
  const remaining = l.maxLimit - l.committed - reserved;
  return {
    ...identity(l),
    max_limit: amount(l, l.maxLimit),
    current_usage: amount(l, l.committed),
    reserved: amount(l, reserved),
    remaining: amount(l, remaining > 0n ? remaining : 0n),
    resets_at: new Date(l.resetsAtMs).toISOString(),
  };
}

function presentBlocking(l: DecidedLimit): BlockingLimitView {
  return {
    ...identity(l),
    max_limit: amount(l, l.maxLimit),
    current_usage: amount(l, l.committed),
    reserved: amount(l, l.reserved),
    resets_at: new Date(l.resetsAtMs).toISOString(),
  };
}

function identity(l: DecidedLimit): { model_config_id: string; kind: LimitKindView; id: string } {
  const kind: LimitKindView = l.dimension === 'cost' ? 'budget' : l.dimension;
  return { model_config_id: l.configId, kind, id: l.limitId };
}

const amount = (l: DecidedLimit, value: bigint): number =>
  l.dimension === 'cost' ? formatDollars(value) : Number(value);
