import { calendarUnitOf, isPositiveDuration, parseDuration } from './parse-duration';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['1ns', 0.000001],
    ['1500ns', 0.0015],
    ['1us', 0.001],
    ['1\u00b5s', 0.001],
    ['1\u03bcs', 0.001],
    ['250ms', 250],
    ['30s', 30 * SECOND],
    ['5m', 5 * MINUTE],
    ['1h', HOUR],
    ['1h30m', 90 * MINUTE],
    ['2h45m30s', 2 * HOUR + 45 * MINUTE + 30 * SECOND],
    ['1m1m', 2 * MINUTE],
    ['1.5h', 90 * MINUTE],
    ['.5s', 500],
    ['1.s', SECOND],
    ['0.1s', 100],
    ['0', 0],
    ['0s', 0],
    ['+5s', 5 * SECOND],
    ['-1h', -HOUR],
  ])('reads the Go duration %s as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['1d', DAY],
    ['1.5d', 36 * HOUR],
    ['7d', 7 * DAY],
    ['1w', 7 * DAY],
    ['2w', 14 * DAY],
    ['1M', 30 * DAY],
    ['0.5M', 15 * DAY],
    ['1Q', 90 * DAY],
    ['2Q', 180 * DAY],
    ['1Y', 365 * DAY],
    ['.5d', 12 * HOUR],
    ['-1d', -DAY],
  ])('reads the calendar suffix duration %s as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('keeps lowercase m as minutes and uppercase M as months', () => {
    expect(parseDuration('1m')).toBe(MINUTE);
    expect(parseDuration('1M')).toBe(30 * DAY);
  });

  it.each([
    [''],
    [' '],
    ['1'],
    ['10'],
    ['h'],
    ['.h'],
    ['.'],
    ['-'],
    ['1 h'],
    [' 1h'],
    ['1h '],
    ['1H'],
    ['1D'],
    ['1y'],
    ['1W'],
    ['1q'],
    ['1Q1d'],
    ['1x'],
    ['1h30'],
    ['1d2h'],
    ['1h1d'],
    ['d'],
    ['1..5h'],
    ['1.5.5d'],
    ['--1h'],
    ['1constructor'],
    ['1e3s'],
    ['daily'],
  ])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe('isPositiveDuration', () => {
  it.each([['1ns'], ['1h'], ['1.5d'], ['1M']])('accepts %s', (input) => {
    expect(isPositiveDuration(input)).toBe(true);
  });

  it.each([['0'], ['0s'], ['0d'], ['-1h'], [''], ['abc']])('rejects %j', (input) => {
    expect(isPositiveDuration(input)).toBe(false);
  });
});

describe('calendarUnitOf', () => {
  it.each([
    ['1d', 'd'],
    ['7d', 'd'],
    ['1.5d', 'd'],
    ['1w', 'w'],
    ['2M', 'M'],
    ['1Q', 'Q'],
    ['1Y', 'Y'],
  ])('reads the unit of %s as %s', (input, unit) => {
    expect(calendarUnitOf(input)).toBe(unit);
  });

  it.each([['1h'], ['30m'], ['1s'], ['xd'], ['d'], ['1h1d'], ['']])(
    'has no calendar unit for %j',
    (input) => {
      expect(calendarUnitOf(input)).toBeNull();
    },
  );
});
