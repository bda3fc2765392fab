import { GovernanceError } from '../errors/governance-error';
import { WindowSpec, windowEnd, windowStart } from './window-start';

const at = (iso: string): Date => new Date(iso);
const rolling = (resetDuration: string, anchor = '2025-01-01T00:00:00Z'): WindowSpec => ({
  resetDuration,
  calendarAligned: false,
  anchor: at(anchor),
});
const aligned = (resetDuration: string, anchor = '2025-01-01T07:13:00Z'): WindowSpec => ({
  resetDuration,
  calendarAligned: true,
  anchor: at(anchor),
});
const windowOf = (spec: WindowSpec, t: string): [string, string] => [
  windowStart(spec, at(t)).toISOString(),
  windowEnd(spec, at(t)).toISOString(),
];

describe('windowStart / windowEnd on a rolling lattice', () => {
  it('starts windows at anchor + k * duration', () => {
    expect(windowOf(rolling('1h', '2025-01-01T00:20:00Z'), '2025-01-01T05:45:00Z')).toEqual([
      '2025-01-01T05:20:00.000Z',
      '2025-01-01T06:20:00.000Z',
    ]);
  });

  it('puts the anchor itself in the first window', () => {
    expect(windowOf(rolling('1h'), '2025-01-01T00:00:00Z')).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T01:00:00.000Z',
    ]);
  });

  it('puts a time exactly on a boundary in the new window', () => {
    expect(windowOf(rolling('30m'), '2025-01-01T01:30:00Z')[0]).toBe('2025-01-01T01:30:00.000Z');
  });

  it('puts the last millisecond before a boundary in the old window', () => {
    expect(windowOf(rolling('30m'), '2025-01-01T01:29:59.999Z')[0]).toBe(
      '2025-01-01T01:00:00.000Z',
    );
  });

  it('gives a late event the earlier window it happened in', () => {
    const spec = rolling('1d');
    expect(windowOf(spec, '2025-01-03T23:59:00Z')[0]).toBe('2025-01-03T00:00:00.000Z');
    expect(windowOf(spec, '2025-01-01T10:00:00Z')[0]).toBe('2025-01-01T00:00:00.000Z');
  });

  it('floors toward -infinity for times before the anchor instead of clamping', () => {
    expect(windowOf(rolling('1h', '2025-01-01T10:00:00Z'), '2025-01-01T08:30:00Z')).toEqual([
      '2025-01-01T08:00:00.000Z',
      '2025-01-01T09:00:00.000Z',
    ]);
    expect(windowOf(rolling('1h', '2025-01-01T10:00:00Z'), '2025-01-01T09:00:00Z')[0]).toBe(
      '2025-01-01T09:00:00.000Z',
    );
  });

  it('treats d/w/M/Y durations as fixed lengths when not aligned', () => {
    expect(windowOf(rolling('1M', '2025-01-15T00:00:00Z'), '2025-03-10T00:00:00Z')).toEqual([
      '2025-02-14T00:00:00.000Z',
      '2025-03-16T00:00:00.000Z',
    ]);
    expect(windowOf(rolling('1.5d'), '2025-01-02T13:00:00Z')[0]).toBe('2025-01-02T12:00:00.000Z');
  });

  it('keeps sub-day durations rolling even when calendar aligned', () => {
    expect(windowOf(aligned('1h', '2025-01-01T00:20:00Z'), '2025-01-01T05:45:00Z')[0]).toBe(
      '2025-01-01T05:20:00.000Z',
    );
    expect(windowOf(aligned('0.5d', '2025-01-01T03:00:00Z'), '2025-01-01T16:00:00Z')).toEqual([
      '2025-01-01T15:00:00.000Z',
      '2025-01-02T03:00:00.000Z',
    ]);
  });

  it('uses 1 ms windows for sub-millisecond durations', () => {
    expect(windowOf(rolling('10us'), '2025-01-01T00:00:00.007Z')).toEqual([
      '2025-01-01T00:00:00.007Z',
      '2025-01-01T00:00:00.008Z',
    ]);
  });
});

describe('windowStart / windowEnd on calendar periods (UTC)', () => {
  it('aligns d to the UTC day, ignoring the anchor', () => {
    expect(windowOf(aligned('1d'), '2025-03-10T18:30:00Z')).toEqual([
      '2025-03-10T00:00:00.000Z',
      '2025-03-11T00:00:00.000Z',
    ]);
  });

  it('resets 7d aligned daily: the number before the unit does not change the period', () => {
    expect(windowOf(aligned('7d'), '2025-03-10T18:30:00Z')).toEqual([
      '2025-03-10T00:00:00.000Z',
      '2025-03-11T00:00:00.000Z',
    ]);
  });

  it('aligns w to Monday 00:00, also when t is a Sunday', () => {
    expect(windowOf(aligned('1w'), '2025-03-16T23:59:59Z')).toEqual([
      '2025-03-10T00:00:00.000Z',
      '2025-03-17T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1w'), '2025-03-17T00:00:00Z')[0]).toBe('2025-03-17T00:00:00.000Z');
    expect(windowOf(aligned('2w'), '2025-03-12T09:00:00Z')[0]).toBe('2025-03-10T00:00:00.000Z');
  });

  it('lets a week span a month and a year boundary', () => {
    expect(windowOf(aligned('1w'), '2025-01-01T12:00:00Z')).toEqual([
      '2024-12-30T00:00:00.000Z',
      '2025-01-06T00:00:00.000Z',
    ]);
  });

  it('aligns M to the 1st and ends at the next month, 2M included', () => {
    expect(windowOf(aligned('1M'), '2025-01-31T23:00:00Z')).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('2M'), '2025-02-28T23:59:59Z')).toEqual([
      '2025-02-01T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ]);
  });

  it('moves from Jan 31 into February at midnight', () => {
    expect(windowOf(aligned('1M'), '2025-02-01T00:00:00Z')[0]).toBe('2025-02-01T00:00:00.000Z');
    expect(windowOf(aligned('1d'), '2025-01-31T23:59:59.999Z')[1]).toBe('2025-02-01T00:00:00.000Z');
  });

  it('crosses Dec 31 into Jan 1 for days, months and years', () => {
    expect(windowOf(aligned('1d'), '2025-12-31T22:00:00Z')[1]).toBe('2026-01-01T00:00:00.000Z');
    expect(windowOf(aligned('1M'), '2025-12-15T00:00:00Z')[1]).toBe('2026-01-01T00:00:00.000Z');
    expect(windowOf(aligned('1Y'), '2025-12-31T23:59:59Z')).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1Y'), '2026-01-01T00:00:00Z')[0]).toBe('2026-01-01T00:00:00.000Z');
  });

  it('handles the leap day 2028-02-29', () => {
    expect(windowOf(aligned('1d'), '2028-02-29T12:00:00Z')).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1M'), '2028-02-29T12:00:00Z')).toEqual([
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1w'), '2028-02-29T12:00:00Z')[0]).toBe('2028-02-28T00:00:00.000Z');
  });

  it('aligns Q to UTC calendar quarters starting in January, April, July and October', () => {
    expect(windowOf(aligned('1Q'), '2025-01-01T00:00:00Z')).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-04-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1Q'), '2025-05-17T10:00:00Z')).toEqual([
      '2025-04-01T00:00:00.000Z',
      '2025-07-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1Q'), '2025-09-30T23:59:59.999Z')).toEqual([
      '2025-07-01T00:00:00.000Z',
      '2025-10-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('2Q'), '2025-10-01T00:00:00Z')[0]).toBe('2025-10-01T00:00:00.000Z');
  });

  it('ends the last quarter at the next New Year and the first quarter after a leap February', () => {
    expect(windowOf(aligned('1Q'), '2025-12-31T23:59:59.999Z')).toEqual([
      '2025-10-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1Q'), '2028-02-29T12:00:00Z')).toEqual([
      '2028-01-01T00:00:00.000Z',
      '2028-04-01T00:00:00.000Z',
    ]);
    expect(windowOf(aligned('1Q'), '2028-04-01T00:00:00Z')[0]).toBe('2028-04-01T00:00:00.000Z');
  });

  it('rolls a non-aligned Q as 90 days from the anchor, like M is 30 days', () => {
    expect(windowOf(rolling('1Q', '2025-01-15T00:00:00Z'), '2025-04-15T00:00:00Z')).toEqual([
      '2025-04-15T00:00:00.000Z',
      '2025-07-14T00:00:00.000Z',
    ]);
    // 2028 is a leap year: 90 days from 2028-01-01 is 2028-03-31, not April 1.
    expect(windowOf(rolling('1Q', '2028-01-01T00:00:00Z'), '2028-03-31T00:00:00Z')[0]).toBe(
      '2028-03-31T00:00:00.000Z',
    );
  });

  it('uses UTC regardless of the offset the time was written with', () => {
    expect(windowOf(aligned('1d'), '2025-03-10T23:30:00-05:00')[0]).toBe(
      '2025-03-11T00:00:00.000Z',
    );
  });

  it('gives a late event the earlier calendar period it happened in', () => {
    expect(windowOf(aligned('1M'), '2024-11-20T00:00:00Z')[0]).toBe('2024-11-01T00:00:00.000Z');
  });
});

describe('windowStart with an unusable duration', () => {
  it.each([['0s'], ['-1h'], ['bogus'], ['']])('throws invalid_model_config for %j', (duration) => {
    const call = (): Date => windowStart(rolling(duration), at('2025-01-01T00:00:00Z'));
    expect(call).toThrow(GovernanceError);
    expect(call).toThrow(`Invalid reset duration (must be a positive duration): ${duration}`);
  });
});
