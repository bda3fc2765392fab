// RFC 3339 section 5.6 date-time with a mandatory offset: `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM)`.
// Lowercase t/z are allowed by the RFC; the space separator (an RFC note, not the grammar) and
// offsets without a colon are not. Scanned by char code, not a regex: this runs once per record
// on the hot path, and captures plus substrings cost more than the rest of the envelope checks.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The decimal number in text[start, start + count), or -1 if any char is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function charIs(text: string, index: number, a: string, b = a): boolean {
  const c = text[index];
  return c === a || c === b;
}

/** Offset in minutes east of UTC from `text[at...]` to the end, or null if malformed. */
function offsetMinutesAt(text: string, at: number): number | null {
  if (at === text.length - 1 && charIs(text, at, 'Z', 'z')) return 0;
  if (at !== text.length - 6 || !charIs(text, at, '+', '-') || text[at + 3] !== ':') return null;
  const hours = digitsAt(text, at + 1, 2);
  const minutes = digitsAt(text, at + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
  return (text[at] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Parses an RFC 3339 timestamp into a Date, or null if it is not one. Fractions beyond
 * milliseconds are truncated (Date cannot hold them). Leap seconds (`:60`) are rejected because
 * Date cannot represent them either.
 */
export function parseRfc3339(text: string): Date | null {
  if (text.length < 20 || text[4] !== '-' || text[7] !== '-' || !charIs(text, 10, 'T', 't')) {
    return null;
  }
  if (text[13] !== ':' || text[16] !== ':') return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let at = 19;
  let millis = 0;
  if (text[at] === '.') {
    const start = ++at;
    while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
    if (at === start) return null;
    for (let i = start; i < start + 3; i++) {
      millis = millis * 10 + (i < at ? text.charCodeAt(i) - 48 : 0);
    }
  }
  const offsetMinutes = offsetMinutesAt(text, at);
  if (offsetMinutes === null) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC maps years 0-99 to 1900-1999.
  if (year < 100) date.setUTCFullYear(year, month - 1, day);
  if (offsetMinutes !== 0) date.setTime(date.getTime() - offsetMinutes * 60_000);
  return date;
}
