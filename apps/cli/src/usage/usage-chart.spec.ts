import { TrackedLimit } from '@app/governance';
import { bar, renderUsageChart } from './usage-chart';

const limit: TrackedLimit = {
  configId: 'mc-1',
  kind: 'budget',
  limitId: 'b-1',
  dimension: 'cost',
  maxLimit: 10_000_000_000n, // $10
  resetDuration: '1d',
  calendarAligned: true,
  anchor: new Date('2026-01-01T00:00:00Z'),
  counterKey: 'k',
};
const day = (d: number, usage: bigint) => ({
  start: new Date(Date.UTC(2026, 0, d)),
  end: new Date(Date.UTC(2026, 0, d + 1)),
  usage,
});

describe('renderUsageChart', () => {
  it('prints a row per window with its usage, percentage and a bar', () => {
    const text = renderUsageChart('mc-1', [
      { limit, windows: [day(1, 0n), day(2, 2_500_000_000n), day(3, 12_000_000_000n)] },
    ]);
    expect(text.split('\n')).toEqual([
      'usage of model config mc-1',
      '',
      'budget b-1 · cost · 1d (calendar) · max $10',
      `  2026-01-01T00:00:00.000Z     $0     0.00%  ${'·'.repeat(40)}`,
      `  2026-01-02T00:00:00.000Z   $2.5    25.00%  ${'█'.repeat(10)}${'·'.repeat(30)}`,
      `  2026-01-03T00:00:00.000Z    $12   120.00%  ${'█'.repeat(40)}>`,
      '',
    ]);
  });

  it('says so when a config has no limits or a series starts after the range', () => {
    expect(renderUsageChart('mc-1', [])).toContain('(no budgets or rate limits)');
    expect(renderUsageChart('mc-1', [{ limit, windows: [] }])).toContain(
      '(the series starts after the range)',
    );
  });
});

describe('bar', () => {
  it.each([
    [0, 0],
    [1, 0],
    [50, 20],
    [100, 40],
  ])('fills %d%% as %d of 40 cells', (percent, cells) => {
    expect(bar(percent).split('█').length - 1).toBe(cells);
  });
});
