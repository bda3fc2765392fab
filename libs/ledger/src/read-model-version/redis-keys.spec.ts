import { RedisKeys } from './redis-keys';

/** Redis's glob, enough of it for these patterns: `*`, and `[0-9]` as one digit. */
const globMatches = (pattern: string, key: string) =>
  new RegExp(
    `^${pattern
      .split(/(\*|\[0-9\])/)
      .map((p) =>
        p === '*' ? '.*' : p === '[0-9]' ? '[0-9]' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  ).test(key);

describe('RedisKeys.everyVersion', () => {
  const pattern = RedisKeys.everyVersion('ul-bench-1:');

  it('matches the keys of every version under the prefix', () => {
    for (const version of [1, 2, 12]) {
      const keys = new RedisKeys('ul-bench-1:', version);
      expect(globMatches(pattern, keys.configs)).toBe(true);
      expect(globMatches(pattern, keys.meta)).toBe(true);
    }
  });

  it("matches no other prefix's keys", () => {
    expect(globMatches(pattern, new RedisKeys('ul-bench-10:', 1).configs)).toBe(false);
    expect(globMatches(pattern, new RedisKeys('ul-bench-1:x', 1).configs)).toBe(false);
  });
});
