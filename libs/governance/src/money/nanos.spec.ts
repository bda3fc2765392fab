import fc from 'fast-check';
import { formatDollars, formatDollarsString, parseDollars } from './nanos';

describe('parseDollars', () => {
  it.each([
    ['0', 0n],
    ['12', 12_000_000_000n],
    ['0.25', 250_000_000n],
    ['10.5', 10_500_000_000n],
    ['0.000000001', 1n],
    ['007.50', 7_500_000_000n],
    ['1e-7', 100n],
    ['1E-7', 100n],
    ['2.5e3', 2_500_000_000_000n],
    ['2.5e+3', 2_500_000_000_000n],
    ['1e-9', 1n],
    ['123456789.123456789', 123_456_789_123_456_789n],
  ])('reads the decimal string %s exactly', (input, nanos) => {
    expect(parseDollars(input)).toBe(nanos);
  });

  it('reads plain decimals as the general (exponent) path does, rounding included', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,8}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,11}$/)),
        (whole, fraction) => {
          const text = fraction === null ? whole : `${whole}.${fraction}`;
          expect(parseDollars(text)).toBe(parseDollars(`${text}e0`));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    [0, 0n],
    [-0, 0n],
    [12, 12_000_000_000n],
    [0.1, 100_000_000n],
    [0.3, 300_000_000n],
    [10.5, 10_500_000_000n],
    [1e-7, 100n],
    [2.5e3, 2_500_000_000_000n],
    [1e21, 1_000_000_000_000_000_000_000_000_000_000n],
  ])('reads the JSON number %d through its shortest decimal form', (input, nanos) => {
    expect(parseDollars(input)).toBe(nanos);
  });

  it('reads 0.1 + 0.2 as its shortest form, not as 0.3', () => {
    expect(parseDollars(0.1 + 0.2)).toBe(300_000_000n);
  });

  it.each([
    ['0.0000000005', 1n],
    ['0.0000000004999', 0n],
    ['0.0000000015', 2n],
    ['1.9999999995', 2_000_000_000n],
    ['1.99999999949', 1_999_999_999n],
    ['5e-10', 1n],
    ['4e-10', 0n],
    ['1e-100', 0n],
  ])('rounds %s half-up to nine fractional digits', (input, nanos) => {
    expect(parseDollars(input)).toBe(nanos);
  });

  it.each([
    [''],
    [' '],
    ['   '],
    [' 1'],
    ['1 '],
    ['-1'],
    ['-0.5'],
    ['+1'],
    ['0x10'],
    ['1.'],
    ['.5'],
    ['1..2'],
    ['NaN'],
    ['Infinity'],
    ['1e'],
    ['e5'],
    ['1,5'],
    ['$1'],
    ['1e101'],
    ['1e-101'],
  ])('rejects the string %j', (input) => {
    expect(parseDollars(input)).toBeNull();
  });

  it.each([[-1], [-0.000000001], [NaN], [Infinity], [-Infinity]])(
    'rejects the number %d',
    (input) => {
      expect(parseDollars(input)).toBeNull();
    },
  );
});

describe('formatDollarsString', () => {
  it.each([
    [0n, '0'],
    [1n, '0.000000001'],
    [250_000_000n, '0.25'],
    [10_000_000_000n, '10'],
    [10_500_000_000n, '10.5'],
    [123_456_789_123_456_789n, '123456789.123456789'],
    [-1_500_000_000n, '-1.5'],
  ])('writes %s nanos as %s', (nanos, text) => {
    expect(formatDollarsString(nanos)).toBe(text);
  });

  it('round-trips through parseDollars', () => {
    for (const text of ['0', '0.000000001', '0.25', '12', '99999.999999999']) {
      const nanos = parseDollars(text);
      expect(nanos === null ? null : formatDollarsString(nanos)).toBe(text);
    }
  });
});

describe('formatDollars', () => {
  it.each([
    [10_500_000_000n, 10.5],
    [0n, 0],
    [100n, 1e-7],
    [300_000_000n, 0.3],
    [12_000_000_000n, 12],
  ])('turns %s nanos into the number %d', (nanos, dollars) => {
    expect(formatDollars(nanos)).toBe(dollars);
  });

  it('sums exactly in nanos before converting', () => {
    expect(formatDollars(100_000_000n + 200_000_000n)).toBe(0.3);
  });

  it('gives the double nearest the exact decimal, within and beyond 2^53 nanos', () => {
    const samples = [1n, 7n, 999_999_999n, 123_456_789_012_345n, 9_007_199_254_740_991n];
    for (let i = 0; i < 2000; i += 1) samples.push(BigInt(Math.floor(Math.random() * 2 ** 53)));
    samples.push(9_007_199_254_740_993n, 10n ** 20n + 1n);
    for (const nanos of samples) {
      expect(formatDollars(nanos)).toBe(Number(formatDollarsString(nanos)));
      expect(formatDollars(-nanos)).toBe(Number(formatDollarsString(-nanos)));
    }
  });
});
