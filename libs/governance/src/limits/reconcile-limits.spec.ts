import { aBudget, aConfig, aRateLimit, usd } from '../testing/builders';
import { trackedLimitsFor } from './reconcile-limits';

const CREATED = new Date('2025-01-01T00:00:00Z');
const UPDATED = new Date('2025-02-15T10:30:00Z');
const LATER = new Date('2025-03-01T00:00:00Z');

const firstVersion = aConfig({
  id: 'mc',
  calendarAligned: false,
  budgets: [
    aBudget({ id: 'daily', maxLimit: usd('1'), resetDuration: '1d' }),
    aBudget({ id: 'monthly', maxLimit: usd('20'), resetDuration: '1M' }),
  ],
  rateLimit: aRateLimit({
    id: 'rl',
    tokenMaxLimit: 1000,
    tokenResetDuration: '1h',
    requestMaxLimit: 60,
    requestResetDuration: '1m',
  }),
  createdAt: CREATED,
  updatedAt: CREATED,
});
const v1 = trackedLimitsFor(firstVersion, [], 'g1');
const keysOf = (limits: { counterKey: string }[]): string[] => limits.map((l) => l.counterKey);

describe('trackedLimitsFor: first version', () => {
  it('tracks budgets in definition order, then tokens, then requests', () => {
    expect(v1.map((l) => [l.kind, l.limitId, l.dimension, l.maxLimit, l.resetDuration])).toEqual([
      ['budget', 'daily', 'cost', usd('1'), '1d'],
      ['budget', 'monthly', 'cost', usd('20'), '1M'],
      ['rate_limit', 'rl', 'tokens', 1000n, '1h'],
      ['rate_limit', 'rl', 'requests', 60n, '1m'],
    ]);
  });

  it('keys new series by config, kind, limit, dimension and generation', () => {
    expect(keysOf(v1)).toEqual([
      'mc/budget/daily/cost/g1',
      'mc/budget/monthly/cost/g1',
      'mc/rate_limit/rl/tokens/g1',
      'mc/rate_limit/rl/requests/g1',
    ]);
  });

  it('anchors the first version at creation and copies the config id and alignment', () => {
    const aligned = trackedLimitsFor(
      { ...firstVersion, calendarAligned: true, updatedAt: UPDATED },
      [],
      'g1',
    );
    expect(
      aligned.every((l) => l.anchor === CREATED && l.configId === 'mc' && l.calendarAligned),
    ).toBe(true);
  });

  it('tracks only the token dimension of a tokens-only rate limit', () => {
    const def = {
      ...firstVersion,
      budgets: [],
      rateLimit: aRateLimit({ id: 'rl', requestMaxLimit: null, requestResetDuration: null }),
    };
    expect(trackedLimitsFor(def, [], 'g1').map((l) => l.dimension)).toEqual(['tokens']);
  });

  it('tracks only the request dimension of a requests-only rate limit', () => {
    const def = {
      ...firstVersion,
      budgets: [],
      rateLimit: aRateLimit({ id: 'rl', tokenMaxLimit: null, tokenResetDuration: null }),
    };
    expect(trackedLimitsFor(def, [], 'g1').map((l) => l.dimension)).toEqual(['requests']);
  });

  it('tracks nothing for a config without budgets or rate limit', () => {
    expect(trackedLimitsFor({ ...firstVersion, budgets: [], rateLimit: null }, [], 'g1')).toEqual(
      [],
    );
  });

  it('refuses a rate-limit dimension without a reset duration', () => {
    const def = { ...firstVersion, rateLimit: aRateLimit({ tokenResetDuration: null }) };
    expect(() => trackedLimitsFor(def, [], 'g1')).toThrow(
      'token_reset_duration is required when token_max_limit is set',
    );
  });
});

describe('trackedLimitsFor: later versions', () => {
  const update = (overrides: Partial<typeof firstVersion>) => ({
    ...firstVersion,
    updatedAt: UPDATED,
    ...overrides,
  });

  it('keeps every counter key and anchor when nothing that shapes a window changed', () => {
    const v2 = trackedLimitsFor(update({}), v1, 'g2');
    expect(keysOf(v2)).toEqual(keysOf(v1));
    expect(v2.every((l) => l.anchor === CREATED)).toBe(true);
  });

  it('keeps usage when only a max limit changes, and applies the new max', () => {
    const budgets = [
      aBudget({ id: 'daily', maxLimit: usd('5'), resetDuration: '1d' }),
      firstVersion.budgets[1],
    ];
    const [daily] = trackedLimitsFor(update({ budgets }), v1, 'g2');
    expect(daily).toMatchObject({
      counterKey: 'mc/budget/daily/cost/g1',
      anchor: CREATED,
      maxLimit: usd('5'),
    });
  });

  it('starts a new series anchored at the update when a reset duration changes', () => {
    const budgets = [
      aBudget({ id: 'daily', maxLimit: usd('1'), resetDuration: '24h' }),
      firstVersion.budgets[1],
    ];
    const [daily, monthly] = trackedLimitsFor(update({ budgets }), v1, 'g2');
    expect(daily).toMatchObject({ counterKey: 'mc/budget/daily/cost/g2', anchor: UPDATED });
    expect(monthly).toMatchObject({ counterKey: 'mc/budget/monthly/cost/g1', anchor: CREATED });
  });

  it('starts new series for day-or-longer windows when calendar alignment flips', () => {
    const v2 = trackedLimitsFor(update({ calendarAligned: true }), v1, 'g2');
    const [daily, monthly, tokens, requests] = v2;
    expect([daily.counterKey, monthly.counterKey]).toEqual([
      'mc/budget/daily/cost/g2',
      'mc/budget/monthly/cost/g2',
    ]);
    expect([daily.anchor, monthly.anchor]).toEqual([UPDATED, UPDATED]);
    expect(v2.every((l) => l.calendarAligned)).toBe(true);
    // Sub-day windows stay rolling when aligned: their windows did not change, nor their usage.
    expect([tokens.counterKey, requests.counterKey]).toEqual([v1[2].counterKey, v1[3].counterKey]);
  });

  it('keeps rate-limit usage when only the rate limit id changes', () => {
    const rateLimit = { ...firstVersion.rateLimit!, id: 'rl-renamed' };
    const [, , tokens, requests] = trackedLimitsFor(update({ rateLimit }), v1, 'g2');
    expect([tokens.counterKey, requests.counterKey]).toEqual([v1[2].counterKey, v1[3].counterKey]);
    expect(tokens.limitId).toBe('rl-renamed');
  });

  it('starts a new series when a budget is renamed, and drops the removed one', () => {
    const budgets = [
      aBudget({ id: 'renamed', maxLimit: usd('1'), resetDuration: '1d' }),
      firstVersion.budgets[1],
    ];
    expect(keysOf(trackedLimitsFor(update({ budgets }), v1, 'g2'))).toEqual([
      'mc/budget/renamed/cost/g2',
      'mc/budget/monthly/cost/g1',
      'mc/rate_limit/rl/tokens/g1',
      'mc/rate_limit/rl/requests/g1',
    ]);
  });

  it('changes only the dimension whose rate-limit window changed', () => {
    const rateLimit = aRateLimit({ id: 'rl', requestMaxLimit: 60, requestResetDuration: '2m' });
    expect(keysOf(trackedLimitsFor(update({ rateLimit }), v1, 'g2')).slice(2)).toEqual([
      'mc/rate_limit/rl/tokens/g1',
      'mc/rate_limit/rl/requests/g2',
    ]);
  });

  it('anchors a limit added later at the update, not at creation', () => {
    const budgets = [...firstVersion.budgets, aBudget({ id: 'weekly', resetDuration: '1w' })];
    const weekly = trackedLimitsFor(update({ budgets }), v1, 'g2')[2];
    expect(weekly).toMatchObject({
      limitId: 'weekly',
      counterKey: 'mc/budget/weekly/cost/g2',
      anchor: UPDATED,
    });
  });

  it('revives nothing: a limit removed and re-added starts from zero', () => {
    const withoutDaily = trackedLimitsFor(update({ budgets: [firstVersion.budgets[1]] }), v1, 'g2');
    const readded = trackedLimitsFor({ ...firstVersion, updatedAt: LATER }, withoutDaily, 'g3');
    expect(readded[0]).toMatchObject({ counterKey: 'mc/budget/daily/cost/g3', anchor: LATER });
  });
});
