import { formatDollarsString, LimitHistory, percentUsed } from '@app/governance';

const BAR_WIDTH = 40;

/** One table per limit, one row per window, with a bar of the share of the limit used. */
export function renderUsageChart(configId: string, limits: readonly LimitHistory[]): string {
  const lines = [`usage of model config ${configId}`];
  if (limits.length === 0) lines.push('(no budgets or rate limits)');
  for (const { limit, windows } of limits) {
    const amount = (v: bigint): string =>
      limit.dimension === 'cost' ? `$${formatDollarsString(v)}` : v.toString();
    lines.push(
      '',
      `${limit.kind} ${limit.limitId} · ${limit.dimension} · ${limit.resetDuration}` +
        `${limit.calendarAligned ? ' (calendar)' : ''} · max ${amount(limit.maxLimit)}`,
    );
    if (windows.length === 0) lines.push('  (the series starts after the range)');
    const usages = windows.map((w) => amount(w.usage));
    const width = Math.max(5, ...usages.map((u) => u.length));
    windows.forEach((w, i) => {
      const percent = percentUsed(w.usage, limit.maxLimit);
      lines.push(
        `  ${w.start.toISOString()}  ${usages[i].padStart(width)}  ${percent.toFixed(2).padStart(7)}%  ${bar(percent)}`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Full blocks for the share used, capped at the width; a `>` marks a window over its limit. */
export function bar(percent: number): string {
  const cells = Math.round((Math.min(percent, 100) / 100) * BAR_WIDTH);
  const filled = '█'.repeat(cells) + '·'.repeat(BAR_WIDTH - cells);
  return percent > 100 ? `${filled}>` : filled;
}
