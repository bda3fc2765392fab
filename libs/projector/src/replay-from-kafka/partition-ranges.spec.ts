import { rangeOf } from './partition-ranges';

describe('rangeOf', () => {
  const range = (low: number, high: number, start: number, live: number | null) => {
    const r = rangeOf('t', 0, {
      low: BigInt(low),
      high: BigInt(high),
      start: BigInt(start),
      live: live === null ? null : BigInt(live),
    });
    return [Number(r.from), Number(r.to), r.reached];
  };

  it('reads from the start to where the live projector stands', () => {
    expect(range(0, 100, 0, 80)).toEqual([0, 80, false]);
    expect(range(0, 100, 30, 80)).toEqual([30, 80, false]);
  });

  it('never starts below the earliest retained offset', () => {
    expect(range(40, 100, 0, 80)).toEqual([40, 80, false]);
  });

  it('leaves to the live projector what it has not read, and a start past it reads nothing', () => {
    expect(range(0, 100, 0, null)).toEqual([0, 0, true]);
    expect(range(0, 100, 90, 80)).toEqual([90, 90, true]);
    expect(range(0, 100, 100, 100)).toEqual([100, 100, true]);
  });

  it('never reads past the end of the log', () => {
    expect(range(0, 50, 0, 80)).toEqual([0, 50, false]);
  });
});
