import { aTrackedLimit, aUsage, usd } from '../testing/builders';
import { identityKey } from '../matching/matching-identities';
import { TrackedLimit } from '../model/tracked-limit';
import { MAX_COUNTER_VALUE } from '../limits-of-input/supported-ranges';
import { ChargeAccumulator } from './charge-accumulator';

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
});
