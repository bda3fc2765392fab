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
  if (typeof input === 'string') {
    const small = smallDollarsNanos(input);
    if (small >= 0) return BigInt(small);
  }
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

/**
 * The common case of parseDollars without its regex and bigint arithmetic (a replay parses
 * every stored cost): up to six whole digits and up to nine fractional ones, so the nano-dollars
 * fit a double exactly. Anything else, -1: parseDollars decides.
 */
function smallDollarsNanos(text: string): number {
  const length = text.length;
  let whole = 0;
  let i = 0;
  for (; i < length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
  }
  if (i === 0 || i > 6) return -1;
  if (i === length) return whole * 1e9;
  if (text.charCodeAt(i) !== 46 || length - i - 1 > NANO_DIGITS || length - i - 1 === 0) return -1;
  let fraction = 0;
  for (let j = i + 1; j < length; j += 1) {
    const digit = text.charCodeAt(j) - 48;
    if (digit < 0 || digit > 9) return -1;
    fraction = fraction * 10 + digit;
  }
  return whole * 1e9 + fraction * 10 ** (NANO_DIGITS - (length - i - 1));
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
