import { formatDollars, HistoryRange, LimitHistory, percentUsed } from '@app/governance';
import { LimitUsageView, UsageHistoryResponse } from './usage-history.view';

/** Dollars for budgets, counts for tokens and requests; the limit is today's `max_limit`. */
export function presentUsageHistory(
  configId: string,
  range: HistoryRange,
  limits: readonly LimitHistory[],
): UsageHistoryResponse {
  return {
    model_config_id: configId,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    limits: limits.map(presentLimit),
  };
}

function presentLimit({ limit, windows }: LimitHistory): LimitUsageView {
  const amount = (v: bigint): number => (limit.dimension === 'cost' ? formatDollars(v) : Number(v));
  return {
    kind: limit.kind,
    id: limit.limitId,
    dimension: limit.dimension,
    reset_duration: limit.resetDuration,
    calendar_aligned: limit.calendarAligned,
    max_limit: amount(limit.maxLimit),
    series_start: limit.anchor.toISOString(),
    windows: windows.map((w) => ({
      window_start: w.start.toISOString(),
      window_end: w.end.toISOString(),
      usage: amount(w.usage),
      max_limit: amount(limit.maxLimit),
      percent_used: percentUsed(w.usage, limit.maxLimit),
    })),
  };
}
