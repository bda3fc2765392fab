import { identityKey } from '../matching/matching-identities';
import { TrackedLimit } from '../model/tracked-limit';
import { aTrackedLimit, usd } from '../testing/builders';
import { AdmissionRequest } from './admission-request';
import { windowEnd, windowStartMs } from '../window/window-start';
import { planAdmission, retryAfterSeconds } from './plan-admission';

const aRequest = (overrides: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  requestId: 'req-1',
  provider: 'openai',
  model: 'gpt-4o',
  virtualKeyId: null,
  userId: null,
  estimatedCost: usd('0.5'),
  estimatedTokens: 300,
  holdMs: 60_000,
  ...overrides,
});

describe('planAdmission', () => {
  const daily = { resetDuration: '1d', calendarAligned: true };
  const globalBudget = aTrackedLimit({ configId: 'g', counterKey: 'g-cost', ...daily });
  const userTokens = aTrackedLimit({
    configId: 'u',
    kind: 'rate_limit',
    limitId: 'rl',
    dimension: 'tokens',
    maxLimit: 1000n,
    counterKey: 'u-tokens',
    ...daily,
  });
  const userRequests = { ...userTokens, dimension: 'requests' as const, counterKey: 'u-req' };
  const vkBudget = aTrackedLimit({ configId: 'vk', counterKey: 'vk-cost' });
  const byIdentity = new Map<string, TrackedLimit[]>([
    [identityKey('global', null, '*', null), [globalBudget]],
    [identityKey('user', 'alice', 'gpt-4o', null), [userTokens, userRequests]],
    [identityKey('virtual_key', 'vk-1', 'gpt-4o', 'openai'), [vkBudget]],
  ]);
  const lookup = (k: string) => byIdentity.get(k);
  const now = new Date('2026-12-01T23:59:59Z');

  it('checks the configs a usage event would be charged to, with the estimate as amounts', () => {
    const plan = planAdmission(aRequest({ userId: 'alice', virtualKeyId: 'vk-1' }), lookup, now);
    expect(plan.map((p) => [p.limit.counterKey, p.amount])).toEqual([
      ['g-cost', usd('0.5')],
      ['u-tokens', 300n],
      ['u-req', 1n],
    ]);
  });

  it('uses the virtual key scope when there is no user', () => {
    const plan = planAdmission(aRequest({ virtualKeyId: 'vk-1' }), lookup, now);
    expect(plan.map((p) => p.limit.counterKey)).toEqual(['g-cost', 'vk-cost']);
  });

  it('places the check in the window containing now, which resets at its end', () => {
    const [first] = planAdmission(aRequest(), lookup, now);
    expect(new Date(first.windowStartMs).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(new Date(first.resetsAtMs).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    const [next] = planAdmission(aRequest(), lookup, new Date('2026-12-02T00:00:00Z'));
    expect(new Date(next.windowStartMs).toISOString()).toBe('2026-12-02T00:00:00.000Z');
  });

  it('finds the right window whatever order the admissions come in, across boundaries', () => {
    const rolling = aTrackedLimit({ configId: 'r', counterKey: 'r-cost', resetDuration: '90m' });
    const oneLimit = () => [rolling];
    const base = Date.parse('2026-12-01T00:00:00Z');
    const offsets = [0, 5_399_999, 5_400_000, 1, 10_800_000, -1, 86_399_999, 86_400_000, 3];
    for (const offset of offsets) {
      const at = new Date(base + offset * 7);
      const [planned] = planAdmission(aRequest(), oneLimit, at);
      expect([planned.windowStartMs, planned.resetsAtMs]).toEqual([
        windowStartMs(rolling, at),
        windowEnd(rolling, at).getTime(),
      ]);
    }
  });

  it('holds nothing against a budget without a cost estimate but still one request', () => {
    const plan = planAdmission(
      aRequest({ userId: 'alice', estimatedCost: 0n, estimatedTokens: 0 }),
      lookup,
      now,
    );
    expect(plan.map((p) => p.amount)).toEqual([0n, 0n, 1n]);
  });
});

describe('retryAfterSeconds', () => {
  const now = new Date('2026-12-01T23:59:59.200Z');
  it('rounds up to the earliest reset and never says 0', () => {
    expect(
      retryAfterSeconds([Date.parse('2026-12-02T00:00:00Z'), Date.parse('2026-12-03')], now),
    ).toBe(1);
    expect(retryAfterSeconds([now.getTime() + 90_500], now)).toBe(91);
    expect(retryAfterSeconds([now.getTime() - 5], now)).toBe(1);
  });
});
