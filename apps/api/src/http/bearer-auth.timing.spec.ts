import { authenticate, digestOf } from './bearer-auth';

const KEY_LENGTH = 2048;
const KEY = `k${'a'.repeat(KEY_LENGTH - 2)}z`;
// Same length as the key: one differs only in its last byte, the other in its first.
const LONG_PREFIX = `${KEY.slice(0, -1)}y`;
const FIRST_BYTE = `x${KEY.slice(1)}`;

type Check = (presented: string) => unknown;

/**
 * Median time of `calls` checks of each candidate, sampled alternately so that the noise of a
 * shared machine (other processes, GC, frequency changes) falls on both alike.
 */
function medianTimes(check: Check, a: string, b: string, samples = 300, calls = 40) {
  const times: [bigint[], bigint[]] = [[], []];
  for (let i = 0; i < samples; i++) {
    for (const [slot, presented] of (i % 2 === 0
      ? [
          [0, a],
          [1, b],
        ]
      : [
          [1, b],
          [0, a],
        ]) as [0 | 1, string][]) {
      const started = process.hrtime.bigint();
      for (let c = 0; c < calls; c++) check(presented);
      times[slot].push(process.hrtime.bigint() - started);
    }
  }
  const median = (xs: bigint[]) => Number([...xs].sort((x, y) => (x < y ? -1 : 1))[xs.length >> 1]);
  return { longPrefix: median(times[0]), firstByte: median(times[1]) };
}

/** An early-exit comparison, the defect this test exists to catch. */
function earlyExitEquals(presented: string): boolean {
  if (presented.length !== KEY.length) return false;
  for (let i = 0; i < KEY.length; i++)
    if (presented.charCodeAt(i) !== KEY.charCodeAt(i)) return false;
  return true;
}

describe('key comparison timing', () => {
  const digests = [digestOf('another-configured-key'), digestOf(KEY)];
  const viaHeader: Check = (presented) => authenticate(`Bearer ${presented}`, undefined, digests);

  it('detects an early-exit comparison (the measurement can tell)', () => {
    const { longPrefix, firstByte } = medianTimes(earlyExitEquals, LONG_PREFIX, FIRST_BYTE);
    expect(longPrefix / firstByte).toBeGreaterThan(5);
  });

  it('takes as long for a wrong key sharing a long prefix as for one wrong from the first byte', () => {
    expect(viaHeader(KEY)).toEqual({ ok: true });
    const { longPrefix, firstByte } = medianTimes(viaHeader, LONG_PREFIX, FIRST_BYTE);
    // Generous: an early exit over 2 KB would make the ratio many times larger (see above).
    expect(longPrefix / firstByte).toBeGreaterThan(0.7);
    expect(longPrefix / firstByte).toBeLessThan(1.4);
  });
});
