import { identityKey } from '../matching/matching-identities';
import { Charge, TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';
import { aTrackedLimit, aUsage, usd } from '../testing/builders';
import { LimitsByIdentity } from './charge-amount';
import { ChargeAccumulator } from './charge-accumulator';

const GLOBAL_EXACT = identityKey('global', null, 'gpt-4o', 'openai');
const GLOBAL_ANY_MODEL = identityKey('global', null, '*', null);
const HOUR_START = new Date('2025-03-10T12:00:00Z');

const costLimit = aTrackedLimit({ counterKey: 'cost' });
const tokenLimit = aTrackedLimit({
  kind: 'rate_limit',
  limitId: 'rl',
  dimension: 'tokens',
  counterKey: 'tokens',
});
const requestLimit = aTrackedLimit({
  kind: 'rate_limit',
  limitId: 'rl',
  dimension: 'requests',
  counterKey: 'requests',
});
const allDimensions = [costLimit, tokenLimit, requestLimit];

const lookup =
  (entries: Record<string, readonly TrackedLimit[]>): LimitsByIdentity =>
  (key) =>
    entries[key];
/** What one usage adds to every counter of every config it matches, one charge per window. */
function computeCharges(usage: UsageRecord, limitsByIdentity: LimitsByIdentity): Charge[] {
  const accumulator = new ChargeAccumulator(limitsByIdentity);
  accumulator.add(usage);
  // The plain charges (the accumulator also keeps each window's limit and steps for alerts).
  return accumulator
    .charges()
    .map(({ counterKey, windowStart, amount }) => ({ counterKey, windowStart, amount }));
}

const amounts = (charges: Charge[]): Record<string, bigint> =>
  Object.fromEntries(charges.map((c) => [c.counterKey, c.amount]));

describe('charging rules (one usage through ChargeAccumulator)', () => {
  it('charges cost, tokens and one request for a successful call', () => {
    const charges = computeCharges(
      aUsage({ cost: usd('0.25'), totalTokens: 150 }),
      lookup({ [GLOBAL_EXACT]: allDimensions }),
    );
    expect(charges).toEqual([
      { counterKey: 'cost', windowStart: HOUR_START, amount: usd('0.25') },
      { counterKey: 'tokens', windowStart: HOUR_START, amount: 150n },
      { counterKey: 'requests', windowStart: HOUR_START, amount: 1n },
    ]);
  });

  it('charges nothing for a failed call that used nothing', () => {
    const usage = aUsage({ success: false, totalTokens: 0, cost: 0n });
    expect(computeCharges(usage, lookup({ [GLOBAL_EXACT]: allDimensions }))).toEqual([]);
  });

  it('bills a failed call with usage for cost and tokens but not as a request', () => {
    const usage = aUsage({ success: false, totalTokens: 40, cost: usd('0.01') });
    expect(amounts(computeCharges(usage, lookup({ [GLOBAL_EXACT]: allDimensions })))).toEqual({
      cost: usd('0.01'),
      tokens: 40n,
    });
  });

  it('counts a request but no cost or tokens for a free successful call', () => {
    const usage = aUsage({ totalTokens: 0, cost: 0n });
    expect(amounts(computeCharges(usage, lookup({ [GLOBAL_EXACT]: allDimensions })))).toEqual({
      requests: 1n,
    });
  });

  it('charges cost without tokens when only cost was reported', () => {
    const usage = aUsage({ totalTokens: 0, cost: usd('0.5'), success: false });
    expect(amounts(computeCharges(usage, lookup({ [GLOBAL_EXACT]: allDimensions })))).toEqual({
      cost: usd('0.5'),
    });
  });

  it('counts a streamed request only on its final chunk', () => {
    const limits = lookup({ [GLOBAL_EXACT]: [requestLimit] });
    expect(computeCharges(aUsage({ streaming: true, finalChunk: false }), limits)).toEqual([]);
    expect(amounts(computeCharges(aUsage({ streaming: true, finalChunk: true }), limits))).toEqual({
      requests: 1n,
    });
  });

  it('still bills the cost and tokens a non-final stream chunk reports', () => {
    const usage = aUsage({ streaming: true, finalChunk: false, totalTokens: 9, cost: 3n });
    expect(amounts(computeCharges(usage, lookup({ [GLOBAL_EXACT]: allDimensions })))).toEqual({
      cost: 3n,
      tokens: 9n,
    });
  });

  it('charges every matching config, one per tier', () => {
    const exact = aTrackedLimit({ configId: 'exact', counterKey: 'exact' });
    const anyModel = aTrackedLimit({ configId: 'any', counterKey: 'any' });
    const charges = computeCharges(
      aUsage(),
      lookup({ [GLOBAL_EXACT]: [exact], [GLOBAL_ANY_MODEL]: [anyModel] }),
    );
    expect(Object.keys(amounts(charges))).toEqual(['exact', 'any']);
  });

  it('charges a config once even when two identity keys return it', () => {
    const charges = computeCharges(
      aUsage(),
      lookup({ [GLOBAL_EXACT]: [costLimit], [GLOBAL_ANY_MODEL]: [costLimit] }),
    );
    expect(charges).toHaveLength(1);
  });

  it('charges every limit of a config, such as several budgets', () => {
    const daily = aTrackedLimit({ limitId: 'daily', counterKey: 'daily' });
    const monthly = aTrackedLimit({ limitId: 'monthly', counterKey: 'monthly' });
    const charges = computeCharges(
      aUsage({ cost: 7n }),
      lookup({ [GLOBAL_EXACT]: [daily, monthly] }),
    );
    expect(amounts(charges)).toEqual({ daily: 7n, monthly: 7n });
  });

  it('charges virtual key and user configs only through their own scope', () => {
    const vkKey = identityKey('virtual_key', 'vk-1', 'gpt-4o', 'openai');
    const userKey = identityKey('user', 'u-1', 'gpt-4o', 'openai');
    const limits = lookup({
      [vkKey]: [aTrackedLimit({ configId: 'vk', counterKey: 'vk' })],
      [userKey]: [aTrackedLimit({ configId: 'user', counterKey: 'user' })],
    });
    expect(Object.keys(amounts(computeCharges(aUsage({ virtualKeyId: 'vk-1' }), limits)))).toEqual([
      'vk',
    ]);
    expect(
      Object.keys(amounts(computeCharges(aUsage({ virtualKeyId: 'vk-1', userId: 'u-1' }), limits))),
    ).toEqual(['user']);
  });

  it('charges nothing when no config matches', () => {
    expect(computeCharges(aUsage(), () => undefined)).toEqual([]);
  });

  it('charges the window the event time falls in, not the current one', () => {
    const daily = aTrackedLimit({ resetDuration: '1d', calendarAligned: true });
    const usage = aUsage({ time: new Date('2024-12-31T23:59:59Z') });
    const [charge] = computeCharges(usage, lookup({ [GLOBAL_EXACT]: [daily] }));
    expect(charge.windowStart).toEqual(new Date('2024-12-31T00:00:00Z'));
  });

  it('aggregates two limits sharing a counter key and window', () => {
    const twin = aTrackedLimit({ limitId: 'twin' });
    const charges = computeCharges(
      aUsage({ cost: 5n }),
      lookup({ [GLOBAL_EXACT]: [costLimit, { ...twin, counterKey: 'cost' }] }),
    );
    expect(charges).toEqual([{ counterKey: 'cost', windowStart: HOUR_START, amount: 10n }]);
  });
});
