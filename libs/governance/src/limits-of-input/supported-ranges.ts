/**
 * The ranges the ledger supports, stated once: the decoder, the management API and the
 * projections rely on them, and docs/event-contract.md publishes them.
 */

/** Times before this are a producer's clock or zero-value bug (Go's 0001-01-01, Unix 0). */
export const MIN_SUPPORTED_TIME = new Date('2000-01-01T00:00:00.000Z');
/** Four-digit years only: window arithmetic and RFC 3339 both stay in range. */
export const MAX_SUPPORTED_TIME = new Date('9999-12-31T23:59:59.999Z');

export function isSupportedTime(time: Date): boolean {
  const ms = time.getTime();
  return ms >= MIN_SUPPORTED_TIME.getTime() && ms <= MAX_SUPPORTED_TIME.getTime();
}

const NANOS_PER_DOLLAR = 1_000_000_000n;
/** One event's cost: no single model call costs a million dollars; the cap keeps sums sane. */
export const MAX_EVENT_COST_NANOS = 1_000_000n * NANOS_PER_DOLLAR;
/** A budget's max_limit: a billion dollars, below what a counter can hold. */
export const MAX_BUDGET_LIMIT_NANOS = 1_000_000_000n * NANOS_PER_DOLLAR;

/**
 * Counters are PostgreSQL bigint. A window whose sum of valid events would pass this stays at
 * it (saturates) instead of failing: the events are still stored, the limit is long exceeded,
 * and min(sum, MAX) does not depend on the order the events were added in, so replays agree.
 */
export const MAX_COUNTER_VALUE = 9_223_372_036_854_775_807n;

/** Adds two non-negative amounts, saturating at MAX_COUNTER_VALUE. */
export function saturatingAdd(a: bigint, b: bigint): bigint {
  const sum = a + b;
  return sum > MAX_COUNTER_VALUE ? MAX_COUNTER_VALUE : sum;
}
