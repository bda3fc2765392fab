import { WindowSpec } from './window-start';
import { countWindowsOverlapping, windowsOverlapping } from './windows-overlapping';

const at = (iso: string): Date => new Date(iso);
const spec = (resetDuration: string, calendarAligned: boolean, anchor = '2025-01-01T00:00:00Z') =>
  ({ resetDuration, calendarAligned, anchor: at(anchor) }) satisfies WindowSpec;
const starts = (s: WindowSpec, from: string, to: string): string[] =>
  windowsOverlapping(s, at(from), at(to)).map((w) => w.start.toISOString().slice(0, 16));

describe('windowsOverlapping', () => {
  it('includes the partial windows at both ends of a rolling range', () => {
    const s = spec('1h', false, '2025-01-01T00:30:00Z');
    expect(starts(s, '2025-01-01T01:00:00Z', '2025-01-01T03:10:00Z')).toEqual([
      '2025-01-01T00:30',
      '2025-01-01T01:30',
      '2025-01-01T02:30',
    ]);
  });

  it('treats `to` as exclusive: a window starting at `to` is not included', () => {
    expect(starts(spec('1h', false), '2025-01-01T00:00:00Z', '2025-01-01T02:00:00Z')).toEqual([
      '2025-01-01T00:00',
      '2025-01-01T01:00',
    ]);
  });

  it('walks calendar months of different lengths, leap February included', () => {
    const windows = windowsOverlapping(
      spec('1M', true),
      at('2028-01-20T00:00:00Z'),
      at('2028-04-02T00:00:00Z'),
    );
    expect(windows.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2028-01-01T00:00:00.000Z', '2028-02-01T00:00:00.000Z'],
      ['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
      ['2028-03-01T00:00:00.000Z', '2028-04-01T00:00:00.000Z'],
      ['2028-04-01T00:00:00.000Z', '2028-05-01T00:00:00.000Z'],
    ]);
  });

  it('walks calendar quarters across a year end', () => {
    expect(starts(spec('1Q', true), '2025-08-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual([
      '2025-07-01T00:00',
      '2025-10-01T00:00',
      '2026-01-01T00:00',
    ]);
  });

  it('walks rolling 90-day quarters from the anchor', () => {
    expect(starts(spec('1Q', false), '2025-01-01T00:00:00Z', '2025-07-01T00:00:00Z')).toEqual([
      '2025-01-01T00:00',
      '2025-04-01T00:00',
      '2025-06-30T00:00',
    ]);
  });

  it('is empty for an empty or reversed range', () => {
    expect(starts(spec('1h', false), '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toEqual([]);
    expect(countWindowsOverlapping(spec('1h', false), at('2025-01-02'), at('2025-01-01'))).toBe(0);
  });
});

describe('countWindowsOverlapping', () => {
  it.each([
    ['1h', false, '2025-01-01T00:10:00Z', '2025-01-03T00:00:00Z'],
    ['1d', true, '2025-01-01T05:00:00Z', '2025-03-01T00:00:01Z'],
    ['1w', true, '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z'],
    ['1M', true, '2024-12-31T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['1Q', true, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['7m', false, '2025-01-01T00:03:00Z', '2025-01-01T09:00:00Z'],
  ])('agrees with the windows built for %s (aligned %s)', (d, aligned, from, to) => {
    const s = spec(d, aligned);
    expect(countWindowsOverlapping(s, at(from), at(to))).toBe(
      windowsOverlapping(s, at(from), at(to)).length,
    );
  });

  it('counts a 1s window over 400 days without building 34M windows', () => {
    expect(
      countWindowsOverlapping(spec('1s', false), at('2025-01-01'), at('2026-02-05T00:00:00Z')),
    ).toBe(400 * 86_400);
  });
});
