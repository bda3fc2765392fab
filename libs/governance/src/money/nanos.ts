import { Nanos } from '../model/model-config';

const NANO_DIGITS = 9;
const NANOS_PER_DOLLAR = 10n ** BigInt(NANO_DIGITS);
// Digits, optional fraction, optional exponent: what JSON numbers and `String(number)` produce.
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Far beyond any real amount; refusing it keeps `10n ** shift` from building a huge bigint.
const MAX_EXPONENT = 100;

/**
 * Exact dollars to integer nano-dollars, or null when not a non-negative decimal. More than nine
 * fractional digits round half-up: a fixed rule, so every replay of the same event agrees.
 */
export function parseDollars(input: string | number): Nanos | null {
  if (typeof input === 'number' && (!Number.isFinite(input) || input < 0)) return null;
  // `String` gives the shortest round-tripping form (`0.1`, `1e-7`), never binary-float noise.
  const match = DECIMAL.exec(String(input));
  if (!match) return null;
  const [, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length + NANO_DIGITS;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return (digits + divisor / 2n) / divisor;
}

/** The exact decimal string of an amount, without trailing zeros: `10500000000n` -> `10.5`. */
export function formatDollarsString(nanos: Nanos): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const whole = abs / NANOS_PER_DOLLAR;
  const fraction = (abs % NANOS_PER_DOLLAR)
    .toString()
    .padStart(NANO_DIGITS, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

const EXACT_IN_A_DOUBLE = BigInt(Number.MAX_SAFE_INTEGER);

/** Dollars as a JSON number for the API; only the final conversion is a float. */
export function formatDollars(nanos: Nanos): number {
  // Both operands are exact doubles and IEEE division rounds the exact quotient once: the same
  // double as parsing the exact decimal string, without the string (an admission formats ~30).
  if (nanos <= EXACT_IN_A_DOUBLE && nanos >= -EXACT_IN_A_DOUBLE) return Number(nanos) / 1e9;
  return Number(formatDollarsString(nanos));
}
