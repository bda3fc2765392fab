import { aTrackedLimit, aUsage, usd } from '../testing/builders';
import { identityKey } from '../matching/matching-identities';
import { TrackedLimit } from '../model/tracked-limit';
import { MAX_COUNTER_VALUE } from '../limits-of-input/supported-ranges';
import { windowStart } from '../window/window-start';
import { ChargeAccumulator, matchingLimits, RouteCache } from './charge-accumulator';
import fc from 'fast-check';

describe('ChargeAccumulator', () => {
  const limit = aTrackedLimit({
    configId: 'mc-1',
    counterKey: 'k-cost',
    dimension: 'cost',
    resetDuration: '1h',
  });
  const byIdentity = new Map<string, TrackedLimit[]>([
    [identityKey('global', null, 'gpt-4o', 'openai'), [limit]],
  ]);

  it('sums a batch into one charge per counter window', () => {
    const acc = new ChargeAccumulator((k) => byIdentity.get(k));
    const t = new Date('2026-11-27T10:15:00Z');
    acc.add(aUsage({ model: 'gpt-4o', provider: 'openai', cost: usd('1'), time: t }));
    acc.add(aUsage({ model: 'gpt-4o', provider: 'openai', cost: usd('2'), time: t }));
    acc.add(
      aUsage({
        model: 'gpt-4o',
        provider: 'openai',
        cost: usd('4'),
        time: new Date('2026-11-27T12:00:00Z'),
      }),
    );
    expect(acc.charges().map((c) => [c.counterKey, c.amount])).toEqual([
      ['k-cost', usd('3')],
      ['k-cost', usd('4')],
    ]);
  });

  it('looks the limits up again after forgetMatches, so a config change in a batch applies', () => {
    const lookups: string[] = [];
    const acc = new ChargeAccumulator((k) => {
      lookups.push(k);
      return byIdentity.get(k);
    });
    const usage = aUsage({ model: 'gpt-4o', provider: 'openai' });
    acc.add(usage);
    const once = lookups.length;
    acc.add(usage);
    expect(lookups).toHaveLength(once);
    acc.forgetMatches();
    acc.add(usage);
    expect(lookups).toHaveLength(once * 2);
  });

  it('saturates a window at the counter maximum instead of overflowing bigint', () => {
    const tokens = aTrackedLimit({ configId: 'mc-t', counterKey: 'k-tok', dimension: 'tokens' });
    const acc = new ChargeAccumulator(() => [tokens]);
    const t = new Date('2026-11-27T10:15:00Z');
    for (let i = 0; i < 1100; i++) {
      acc.add(aUsage({ totalTokens: Number.MAX_SAFE_INTEGER, time: t }));
    }
    expect(acc.charges().map((c) => c.amount)).toEqual([MAX_COUNTER_VALUE]);
  });

  it('stays exact past 2^53 nano-dollars, where a double would round', () => {
    const acc = new ChargeAccumulator((k) => byIdentity.get(k));
    const t = new Date('2026-11-27T10:15:00Z');
    const cost = usd('4000000.000000001');
    for (let i = 0; i < 3; i++)
      acc.add(aUsage({ model: 'gpt-4o', provider: 'openai', cost, time: t }));
    expect(acc.charges().map((c) => c.amount)).toEqual([cost * 3n]);
  });

  it('starts from zero when a second accumulator shares the route cache of the first', () => {
    const routes = new RouteCache();
    const t = new Date('2026-11-27T10:15:00Z');
    const usage = aUsage({ model: 'gpt-4o', provider: 'openai', cost: usd('1'), time: t });
    const first = new ChargeAccumulator((k) => byIdentity.get(k), { routes });
    first.add(usage);
    const second = new ChargeAccumulator((k) => byIdentity.get(k), { routes });
    second.add(usage);
    second.add(usage);
    expect(first.charges().map((c) => c.amount)).toEqual([usd('1')]);
    expect(second.charges().map((c) => c.amount)).toEqual([usd('2')]);
  });

  it('charges the limits matchingLimits names, for any user and key pair, through a shared cache', () => {
    // A config of each scope and id, on the model and on every model: the cache keys a route by
    // the one scope it charges (the user, else the key), never by the pair.
    const byKey = new Map<string, TrackedLimit[]>();
    for (const [scope, id] of [
      ['global', null],
      ['user', 'u1'],
      ['user', 'u2'],
      ['virtual_key', 'k1'],
      ['virtual_key', 'k2'],
    ] as const) {
      for (const model of ['gpt-4o', '*']) {
        const counterKey = `${scope}:${id}:${model}`;
        byKey.set(identityKey(scope, id, model, null), [
          aTrackedLimit({ configId: counterKey, counterKey }),
        ]);
      }
    }
    const lookup = (k: string) => byKey.get(k);
    const routes = new RouteCache();
    const id = fc.constantFrom(null, '', '1', '2');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, id, fc.constantFrom('gpt-4o', 'o3')), { minLength: 1 }),
        (calls) => {
          for (const [user, key, model] of calls) {
            const usage = aUsage({
              model,
              provider: 'openai',
              userId: user === null ? null : user && `u${user}`,
              virtualKeyId: key === null ? null : key && `k${key}`,
            });
            const acc = new ChargeAccumulator(lookup, { routes });
            acc.add(usage);
            const charged = acc.charges().map((c) => c.counterKey);
            expect(charged).toEqual(matchingLimits(usage, lookup).map((l) => l.counterKey));
          }
        },
      ),
    );
  });

  it('puts every event in the window windowStart names, in any order and across boundaries', () => {
    const limits = [
      aTrackedLimit({ counterKey: 'k-rolling', resetDuration: '90m' }),
      aTrackedLimit({ counterKey: 'k-day', resetDuration: '1d', calendarAligned: true }),
      aTrackedLimit({ counterKey: 'k-week', resetDuration: '1w', calendarAligned: true }),
      aTrackedLimit({ counterKey: 'k-month', resetDuration: '1M', calendarAligned: true }),
    ];
    const base = Date.parse('2026-02-27T23:00:00Z');
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let round = 0; round < 200; round += 1) {
      const acc = new ChargeAccumulator(() => limits);
      const expected = new Map<string, bigint>();
      for (let i = 0; i < 1 + random(40); i += 1) {
        // Within a few days either way, out of order, every other one exactly on an hour.
        const ms =
          random(2) === 0
            ? (random(145) - 72) * 3_600_000
            : random(6 * 86_400_000) - 3 * 86_400_000;
        const time = new Date(base + ms);
        const cost = usd(String(1 + random(9)));
        acc.add(aUsage({ cost, time }));
        for (const l of limits) {
          const key = `${l.counterKey} ${windowStart(l, time).toISOString()}`;
          expected.set(key, (expected.get(key) ?? 0n) + cost);
        }
      }
      const got = new Map(
        acc.charges().map((c) => [`${c.counterKey} ${c.windowStart.toISOString()}`, c.amount]),
      );
      expect(got).toEqual(expected);
    }
  });
});
