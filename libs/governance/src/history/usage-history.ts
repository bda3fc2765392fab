import { GovernanceError } from '../errors/governance-error';
import { TrackedLimit } from '../model/tracked-limit';
import { countWindowsOverlapping, windowsOverlapping } from '../window/windows-overlapping';
import { windowStartMs } from '../window/window-start';

/** The longest range a history request may span. */
export const MAX_HISTORY_RANGE_DAYS = 400;
/** The most windows one limit may return: 1m windows over ~34 days, 1h over 400 days. */
export const MAX_HISTORY_WINDOWS_PER_LIMIT = 50_000;

export const DEFAULT_HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

export interface HistoryRange {
  from: Date;
  /** exclusive */
  to: Date;
}

/** The range asked for: `to` defaults to now, `from` to 30 days before `to`; at most 400 days. */
export function historyRange(from: Date | null, to: Date | null, now: Date): HistoryRange {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS);
  if (end.getTime() <= start.getTime()) {
    throw new GovernanceError('invalid_history_range', 'Invalid range: to must be after from');
  }
  if (end.getTime() - start.getTime() > MAX_HISTORY_RANGE_DAYS * DAY_MS) {
    throw new GovernanceError(
      'invalid_history_range',
      `Invalid range: from and to must be at most ${MAX_HISTORY_RANGE_DAYS} days apart`,
    );
  }
  return { from: start, to: end };
}

/** A stored counter window (rows exist only for windows with usage). */
export interface StoredCounterWindow {
  counterKey: string;
  windowStart: Date;
  value: bigint;
}

export interface UsageWindow {
  start: Date;
  end: Date;
  /** nano-dollars for a budget, a count for tokens and requests */
  usage: bigint;
}

export interface LimitHistory {
  limit: TrackedLimit;
  /** the first window shown: where the series starts, or the range start if later */
  windows: UsageWindow[];
}

/**
 * Where a series' history begins: its anchor, or an earlier stored window (a late event
 * timestamped before the series started is still counted, so it is still shown).
 */
export type SeriesStartOf = (counterKey: string) => Date | null;

/** The part of the range a limit's series covers; null if the series starts after it. */
export function seriesRange(
  limit: TrackedLimit,
  range: HistoryRange,
  earliestStored: Date | null,
): HistoryRange | null {
  const startMs = Math.min(limit.anchor.getTime(), earliestStored?.getTime() ?? Infinity);
  const from = new Date(Math.max(range.from.getTime(), startMs));
  return from.getTime() < range.to.getTime() ? { from, to: range.to } : null;
}

/** Refuses a range whose windows would be too many to answer (the whole request, not a part). */
export function assertHistoryBounded(limit: TrackedLimit, range: HistoryRange | null): void {
  if (range === null) return;
  const count = countWindowsOverlapping(limit, range.from, range.to);
  if (count > MAX_HISTORY_WINDOWS_PER_LIMIT) {
    throw new GovernanceError(
      'invalid_history_range',
      `Too many windows: ${count} windows of ${limit.resetDuration} (${limit.kind} ${limit.limitId}) ` +
        `in the range, at most ${MAX_HISTORY_WINDOWS_PER_LIMIT}; narrow from and to`,
    );
  }
}

/** Every window of the series in its range, with 0 where no row was stored. */
export function limitHistory(
  limit: TrackedLimit,
  range: HistoryRange | null,
  stored: readonly StoredCounterWindow[],
): LimitHistory {
  if (range === null) return { limit, windows: [] };
  const windows = windowsOverlapping(limit, range.from, range.to).map((w) => ({
    ...w,
    usage: 0n,
  }));
  const byStart = new Map(windows.map((w) => [w.start.getTime(), w]));
  for (const row of stored) {
    if (row.counterKey !== limit.counterKey) continue;
    // Matched through the window arithmetic, not the raw timestamp: robust to any row start.
    const window = byStart.get(windowStartMs(limit, row.windowStart));
    if (window) window.usage += row.value;
  }
  return { limit, windows };
}

/** Percentage of the limit used, two decimals; over 100 when usage overshot. */
export function percentUsed(usage: bigint, maxLimit: bigint): number {
  if (maxLimit <= 0n) return 0;
  return Number((usage * 10_000n) / maxLimit) / 100;
}
