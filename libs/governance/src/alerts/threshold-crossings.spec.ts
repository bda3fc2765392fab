import { TrackedLimit } from '../model/tracked-limit';
import { parseThresholds, reaches, thresholdCrossings } from './threshold-crossings';

const limit: TrackedLimit = {
  configId: 'mc-1',
  kind: 'rate_limit',
  limitId: 'rl-1',
  dimension: 'requests',
  maxLimit: 10n,
  resetDuration: '1h',
  calendarAligned: false,
  anchor: new Date('2026-01-01T00:00:00Z'),
  counterKey: 'k',
};
const start = new Date('2026-01-01T05:00:00Z');
const step = (minute: number, amount = 1n) => ({
  timeMs: Date.UTC(2026, 0, 1, 5, minute),
  amount,
});
const crossed = (after: bigint, steps: ReturnType<typeof step>[], thresholds = [50, 80, 100]) =>
  thresholdCrossings(limit, start, after, steps, thresholds).map((c) => [
    c.thresholdPercent,
    c.usage,
    c.time.toISOString().slice(11, 16),
  ]);

describe('thresholdCrossings', () => {
  it('reports each threshold at the event that first reached it', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => step(m));
    expect(crossed(10n, steps)).toEqual([
      [50, 5n, '05:05'],
      [80, 8n, '05:08'],
      [100, 10n, '05:10'],
    ]);
  });

  it('reports several thresholds crossed by one event at that event', () => {
    expect(crossed(9n, [step(1, 2n), step(2, 7n)])).toEqual([
      [50, 9n, '05:02'],
      [80, 9n, '05:02'],
    ]);
  });

  it('starts from the value before the batch: thresholds reached earlier are not reported again', () => {
    // 6 before this batch (50% reached by an earlier batch), +2 +2 now.
    expect(crossed(10n, [step(30, 2n), step(31, 2n)])).toEqual([
      [80, 8n, '05:30'],
      [100, 10n, '05:31'],
    ]);
    expect(crossed(12n, [step(40, 1n)])).toEqual([]);
  });

  it('reports nothing below the first threshold, or without thresholds', () => {
    expect(crossed(4n, [step(1, 4n)])).toEqual([]);
    expect(crossed(10n, [step(1, 10n)], [])).toEqual([]);
  });

  it('gives the window its end', () => {
    const [c] = thresholdCrossings(limit, start, 5n, [step(1, 5n)], [50]);
    expect(c.windowEnd.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });

  it('compares exactly: 1/3 of a limit of 3 is 33.3%, not 50%', () => {
    expect(reaches(1n, 3n, 33)).toBe(true);
    expect(reaches(1n, 3n, 34)).toBe(false);
    expect(reaches(2n, 3n, 66)).toBe(true);
    expect(reaches(2n, 3n, 67)).toBe(false);
  });
});

describe('parseThresholds', () => {
  it('sorts and dedupes whole percentages', () => {
    expect(parseThresholds('100, 50,80,50')).toEqual([50, 80, 100]);
    expect(parseThresholds('150')).toEqual([150]);
  });

  it.each([['50,abc'], ['0'], ['1001'], ['12.5'], ['-5']])('refuses %j', (text) => {
    expect(parseThresholds(text)).toBeNull();
  });
});
