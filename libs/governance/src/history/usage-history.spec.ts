import { GovernanceError } from '../errors/governance-error';
import { TrackedLimit } from '../model/tracked-limit';
import {
  assertHistoryBounded,
  limitHistory,
  MAX_HISTORY_WINDOWS_PER_LIMIT,
  percentUsed,
  seriesRange,
} from './usage-history';

const at = (iso: string): Date => new Date(iso);
const aLimit = (overrides: Partial<TrackedLimit> = {}): TrackedLimit => ({
  configId: 'mc-1',
  kind: 'budget',
  limitId: 'b-1',
  dimension: 'cost',
  maxLimit: 10n,
  resetDuration: '1d',
  calendarAligned: true,
  anchor: at('2025-03-05T12:00:00Z'),
  counterKey: 'k1',
  ...overrides,
});
const range = (from: string, to: string) => ({ from: at(from), to: at(to) });

describe('limitHistory', () => {
  it('lists every window of the range, with 0 where nothing was stored', () => {
    const limit = aLimit();
    const history = limitHistory(limit, range('2025-03-05T12:00:00Z', '2025-03-08T00:00:00Z'), [
      { counterKey: 'k1', windowStart: at('2025-03-06T00:00:00Z'), value: 7n },
      { counterKey: 'other', windowStart: at('2025-03-05T00:00:00Z'), value: 99n },
    ]);
    expect(history.windows.map((w) => [w.start.toISOString().slice(0, 10), w.usage])).toEqual([
      ['2025-03-05', 0n],
      ['2025-03-06', 7n],
      ['2025-03-07', 0n],
    ]);
  });

  it('has no windows for a series that starts after the range', () => {
    expect(limitHistory(aLimit(), null, []).windows).toEqual([]);
  });
});

describe('seriesRange', () => {
  const limit = aLimit();

  it('starts at the series anchor when the range starts earlier', () => {
    expect(seriesRange(limit, range('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z'), null)).toEqual(
      range('2025-03-05T12:00:00Z', '2025-04-01T00:00:00Z'),
    );
  });

  it('reaches back to a late event stored before the anchor', () => {
    const earliest = at('2025-02-10T00:00:00Z');
    expect(
      seriesRange(limit, range('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z'), earliest),
    ).toEqual(range('2025-02-10T00:00:00Z', '2025-04-01T00:00:00Z'));
  });

  it('is null when the series starts after the range ends', () => {
    expect(
      seriesRange(limit, range('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'), null),
    ).toBeNull();
  });
});

describe('assertHistoryBounded', () => {
  it(`refuses more than ${MAX_HISTORY_WINDOWS_PER_LIMIT} windows with a message naming the limit`, () => {
    const limit = aLimit({ resetDuration: '1s', calendarAligned: false, limitId: 'rl-1' });
    const call = () =>
      assertHistoryBounded(limit, range('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z'));
    expect(call).toThrow(GovernanceError);
    expect(call).toThrow(
      'Too many windows: 86400 windows of 1s (budget rl-1) in the range, at most 50000; narrow from and to',
    );
  });

  it('accepts exactly the maximum', () => {
    const limit = aLimit({
      resetDuration: '1s',
      calendarAligned: false,
      anchor: at('2025-01-01T00:00:00Z'),
    });
    expect(() =>
      assertHistoryBounded(limit, {
        from: limit.anchor,
        to: new Date(limit.anchor.getTime() + 50_000_000),
      }),
    ).not.toThrow();
  });
});

describe('percentUsed', () => {
  it.each([
    [0n, 10n, 0],
    [5n, 10n, 50],
    [1n, 3n, 33.33],
    [15n, 10n, 150],
    [3n, 0n, 0],
  ])('%d of %d is %d%%', (usage, max, percent) => {
    expect(percentUsed(usage, max)).toBe(percent);
  });
});
