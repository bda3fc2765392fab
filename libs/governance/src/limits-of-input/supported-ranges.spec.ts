import { isSupportedTime, MAX_COUNTER_VALUE, saturatingAdd } from './supported-ranges';

describe('isSupportedTime', () => {
  it.each([
    ['2000-01-01T00:00:00.000Z', true],
    ['2026-11-27T10:00:00.000Z', true],
    ['9999-12-31T23:59:59.999Z', true],
    ['1999-12-31T23:59:59.999Z', false],
    ['0001-01-01T00:00:00.000Z', false],
    ['1970-01-01T00:00:00.000Z', false],
  ])('%s is supported: %s', (iso, expected) => {
    expect(isSupportedTime(new Date(iso))).toBe(expected);
  });

  it('does not support an invalid date', () => {
    expect(isSupportedTime(new Date(Number.NaN))).toBe(false);
  });
});

describe('saturatingAdd', () => {
  it('adds exactly below the counter maximum', () => {
    expect(saturatingAdd(MAX_COUNTER_VALUE - 5n, 5n)).toBe(MAX_COUNTER_VALUE);
  });

  it('stays at the counter maximum instead of overflowing', () => {
    expect(saturatingAdd(MAX_COUNTER_VALUE - 1n, 10n)).toBe(MAX_COUNTER_VALUE);
    expect(saturatingAdd(MAX_COUNTER_VALUE, MAX_COUNTER_VALUE)).toBe(MAX_COUNTER_VALUE);
  });

  it('does not depend on the order amounts are added in', () => {
    const amounts = [MAX_COUNTER_VALUE / 2n, MAX_COUNTER_VALUE / 3n, MAX_COUNTER_VALUE / 2n, 7n];
    const forward = amounts.reduce(saturatingAdd, 0n);
    const backward = [...amounts].reverse().reduce(saturatingAdd, 0n);
    expect(forward).toBe(backward);
  });
});
