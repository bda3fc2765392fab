import { parseRfc3339 } from './rfc3339-time';

describe('parseRfc3339', () => {
  it.each([
    ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27t10:00:00z', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T10:00:00.5Z', '2026-11-27T10:00:00.500Z'],
    ['2026-11-27T10:00:00.123456789Z', '2026-11-27T10:00:00.123Z'],
    ['2026-11-27T12:30:00+02:30', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T05:00:00-05:00', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T10:00:00+00:00', '2026-11-27T10:00:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['no offset', '2026-11-27T10:00:00'],
    ['an offset without a colon', '2026-11-27T10:00:00+0100'],
    ['a date only', '2026-11-27'],
    ['a space separator', '2026-11-27 10:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-11-00T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29T00:00:00Z'],
    ['February 29 of 1900', '1900-02-29T00:00:00Z'],
    ['hour 24', '2026-11-27T24:00:00Z'],
    ['minute 60', '2026-11-27T10:60:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['an offset hour of 24', '2026-11-27T10:00:00+24:00'],
    ['an empty fraction', '2026-11-27T10:00:00.Z'],
    ['trailing text', '2026-11-27T10:00:00Z '],
    ['a missing seconds field', '2026-11-27T10:00Z'],
  ])('rejects %s', (_case, text) => {
    expect(parseRfc3339(text)).toBeNull();
  });
});

describe('parseRfc3339: malformed shapes', () => {
  it.each([
    ['a non-digit in the year', '2O26-11-27T10:00:00Z'],
    ['a non-digit in the fraction', '2026-11-27T10:00:00.1aZ'],
    ['a non-digit in the offset', '2026-11-27T10:00:00+0a:00'],
    ['an offset with seconds', '2026-11-27T10:00:00+01:00:00'],
    ['a truncated offset', '2026-11-27T10:00:00+01:0'],
    ['a five-digit year', '12026-11-27T10:00:00Z'],
    ['a sign on the year', '+2026-11-27T10:00:00Z'],
  ])('rejects %s', (_case, text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it('agrees with Date.parse on a spread of valid timestamps', () => {
    for (let ms = Date.UTC(1999, 11, 31); ms < Date.UTC(2030, 0, 1); ms += 86_399_937 * 7) {
      const iso = new Date(ms).toISOString();

      expect(parseRfc3339(iso)?.getTime()).toBe(Date.parse(iso));
      expect(parseRfc3339(iso.replace('Z', '+05:30'))?.getTime()).toBe(ms - 330 * 60_000);
    }
  });
});
