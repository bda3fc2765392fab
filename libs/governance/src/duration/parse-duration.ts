/** Durations as Bifrost reads them: Go `time.ParseDuration` plus whole-string d/w/M/Q/Y suffixes. */
export type CalendarUnit = 'd' | 'w' | 'M' | 'Q' | 'Y';

const NS_PER_MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;
// A Map, not an object literal: a unit like `constructor` must not resolve through the prototype.
const GO_UNITS_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek mu; Go accepts both
  ['ms', NS_PER_MS],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', HOUR_NS],
]);
const CALENDAR_HOURS: Readonly<Record<CalendarUnit, bigint>> = {
  d: 24n,
  w: 168n,
  M: 720n, // 30 days
  Q: 2160n, // 90 days, as Bifrost rolls a non-aligned quarter
  Y: 8760n, // 365 days
};
const PLAIN_NUMBER = /^(\d*)(?:\.(\d*))?$/;

/** The longest window a config may have: ten years of 365 days. */
export const MAX_DURATION_MS = 10 * 365 * 86_400_000;
export const MAX_DURATION_TEXT = '10Y';
/** `1h30m15s500ms` is 13 characters; nothing sensible comes near this. */
export const MAX_DURATION_TEXT_LENGTH = 64;

/** Milliseconds, or null when unparsable. Negative and zero values parse; validation rejects them. */
export function parseDuration(s: string): number | null {
  const sign = s.startsWith('-') ? -1n : 1n;
  const body = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  const ns = calendarUnitSuffix(body) ? parseCalendar(body) : parseGo(body);
  return ns === null ? null : Number(sign * ns) / Number(NS_PER_MS);
}

export function isPositiveDuration(s: string): boolean {
  const ms = parseDuration(s);
  return ms !== null && ms > 0;
}

/** The calendar unit a duration could align to; the number before it is ignored for alignment. */
export function calendarUnitOf(s: string): CalendarUnit | null {
  return parseDuration(s) === null ? null : calendarUnitSuffix(s);
}

function calendarUnitSuffix(s: string): CalendarUnit | null {
  const last = s.slice(-1);
  return last === 'd' || last === 'w' || last === 'M' || last === 'Q' || last === 'Y' ? last : null;
}

function parseCalendar(body: string): bigint | null {
  const match = PLAIN_NUMBER.exec(body.slice(0, -1));
  const unit = calendarUnitSuffix(body);
  if (!match || !unit) return null;
  return scaled(match[1], match[2], HOUR_NS * CALENDAR_HOURS[unit]);
}

function parseGo(body: string): bigint | null {
  if (body === '0') return 0n; // Go's one unit-less exception
  // Sticky and local: each component must start where the previous one ended.
  const component = /(\d*)(?:\.(\d*))?([^\d.]+)/y;
  let total = 0n;
  while (body !== '' && component.lastIndex < body.length) {
    const match = component.exec(body);
    const unit = match ? GO_UNITS_NS.get(match[3]) : undefined;
    if (!match || unit === undefined) return null;
    const ns = scaled(match[1], match[2], unit);
    if (ns === null) return null;
    total += ns;
  }
  return body === '' ? null : total;
}

/** Exact integer maths so `1.5h` or `0.1s` never pick up binary-float noise; Go truncates too. */
function scaled(whole: string, fraction: string | undefined, unitNs: bigint): bigint | null {
  const frac = fraction ?? '';
  if (whole === '' && frac === '') return null;
  const fracNs = (BigInt(frac || '0') * unitNs) / 10n ** BigInt(frac.length);
  return BigInt(whole || '0') * unitNs + fracNs;
}
