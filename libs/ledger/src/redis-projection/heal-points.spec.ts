import { HealPoints } from './heal-points';

describe('HealPoints', () => {
  it('answers the seq of the newest point at or before the time asked', () => {
    const points = new HealPoints(60_000);
    points.record(1_000, 10);
    points.record(2_000, 25);
    points.record(3_000, 40);
    expect(points.seqAt(999)).toBeNull();
    expect(points.seqAt(1_000)).toBe(10);
    expect(points.seqAt(2_500)).toBe(25);
    expect(points.seqAt(10_000)).toBe(40);
  });

  it('forgets points past the horizon but the newest of them, which still answers', () => {
    const points = new HealPoints(5_000);
    for (let t = 0; t <= 20_000; t += 1_000) points.record(t, t / 100);
    // Horizon at 15,000: the point at 15,000 is kept, 14,000 and older are gone.
    expect(points.seqAt(15_000)).toBe(150);
    expect(points.seqAt(14_999)).toBeNull();
    expect(points.seqAt(17_500)).toBe(170);
  });
});
