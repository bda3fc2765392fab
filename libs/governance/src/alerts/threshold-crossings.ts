import { TrackedLimit } from '../model/tracked-limit';
import { windowEnd } from '../window/window-start';

/** One event's contribution to a counter window, in the order the batch applied it. */
export interface ChargeStep {
  timeMs: number;
  amount: bigint;
}

/** A window of a limit whose usage reached a threshold for the first time. */
export interface ThresholdCrossing {
  limit: TrackedLimit;
  windowStart: Date;
  windowEnd: Date;
  thresholdPercent: number;
  /** usage right after the event that crossed (same unit as the limit's max_limit) */
  usage: bigint;
  /** the `time` of that event */
  time: Date;
}

/** Whether `usage` is at least `percent`% of `maxLimit`, in exact integer arithmetic. */
export function reaches(usage: bigint, maxLimit: bigint, percent: number): boolean {
  return usage * 100n >= maxLimit * BigInt(percent);
}

/**
 * The thresholds a window first reached through this batch's steps, given its value after the
 * batch (the counter upsert's result: exact even when batches of other partitions also charged
 * it, since the row lock orders them). `after - sum(steps)` is the value before the batch.
 */
export function thresholdCrossings(
  limit: TrackedLimit,
  windowStart: Date,
  after: bigint,
  steps: readonly ChargeStep[],
  thresholds: readonly number[],
): ThresholdCrossing[] {
  if (limit.maxLimit <= 0n || thresholds.length === 0) return [];
  // Usage only grows within a batch: a window below the lowest threshold after it crossed none.
  if (!reaches(after, limit.maxLimit, thresholds[0])) return [];
  let running = after - steps.reduce((sum, s) => sum + s.amount, 0n);
  const open = thresholds.filter((p) => !reaches(running, limit.maxLimit, p));
  const crossings: ThresholdCrossing[] = [];
  for (const step of steps) {
    if (open.length === 0) break;
    running += step.amount;
    while (open.length > 0 && reaches(running, limit.maxLimit, open[0])) {
      crossings.push({
        limit,
        windowStart,
        windowEnd: windowEnd(limit, windowStart),
        thresholdPercent: open.shift()!,
        usage: running,
        time: new Date(step.timeMs),
      });
    }
  }
  return crossings;
}

/** `50,80,100` → [50, 80, 100]: whole percentages 1..1000, ascending, no duplicates. */
export function parseThresholds(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const values = parts.map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 1000)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}
