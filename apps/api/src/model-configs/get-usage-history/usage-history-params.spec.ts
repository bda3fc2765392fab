import { GovernanceError } from '@app/governance';
import { ApiError } from '../../http/api-error';
import { parseHistoryRange } from './usage-history-params';

const now = new Date('2026-03-31T12:00:00Z');
const rejection = (query: Record<string, unknown>): string => {
  try {
    parseHistoryRange(query, now);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'bad_request') return error.message;
    if (error instanceof GovernanceError && error.code === 'invalid_history_range') {
      return error.message;
    }
    throw error;
  }
  throw new Error('accepted');
};

describe('parseHistoryRange', () => {
  it('defaults to the 30 days before now', () => {
    expect(parseHistoryRange({}, now)).toEqual({
      from: new Date('2026-03-01T12:00:00Z'),
      to: now,
    });
  });

  it('defaults from to 30 days before an explicit to, and treats empty values as absent', () => {
    expect(parseHistoryRange({ to: '2026-02-01T00:00:00+01:00', from: '' }, now)).toEqual({
      from: new Date('2026-01-01T23:00:00Z'),
      to: new Date('2026-01-31T23:00:00Z'),
    });
  });

  it('uses the first of repeated values', () => {
    expect(parseHistoryRange({ from: ['2026-03-30T00:00:00Z', 'x'] }, now).from).toEqual(
      new Date('2026-03-30T00:00:00Z'),
    );
  });

  it('accepts exactly 400 days', () => {
    expect(() =>
      parseHistoryRange({ from: '2025-01-01T00:00:00Z', to: '2026-02-05T00:00:00Z' }, now),
    ).not.toThrow();
  });

  it.each([
    [
      { from: 'yesterday' },
      'Invalid from parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [
      { to: '2026-02-30T00:00:00Z' },
      'Invalid to parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [
      { to: '2026-01-01T00:00:00' },
      'Invalid to parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [
      { from: '2026-03-01T00:00:00Z\u0000' },
      'Invalid from parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [{ from: { a: 1 } }, 'Invalid from parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)'],
    [
      { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      'Invalid range: to must be after from',
    ],
    [
      { from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      'Invalid range: to must be after from',
    ],
    [
      { from: '2025-01-01T00:00:00Z', to: '2026-02-05T00:00:00.001Z' },
      'Invalid range: from and to must be at most 400 days apart',
    ],
  ])('refuses %j with "%s"', (query, message) => {
    expect(rejection(query)).toBe(message);
  });
});
