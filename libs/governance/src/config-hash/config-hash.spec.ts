import { BudgetDefinition, RateLimitDefinition } from '../model/model-config';
import { aBudget, aConfig, aRateLimit, usd } from '../testing/builders';
import { budgetHash, configHash, rateLimitHash } from './config-hash';

const SHA256_HEX = /^[0-9a-f]{64}$/;

describe('budgetHash', () => {
  it('is a SHA-256 hex digest that is stable across calls', () => {
    expect(budgetHash(aBudget())).toMatch(SHA256_HEX);
    expect(budgetHash(aBudget())).toBe(budgetHash(aBudget()));
  });

  it('does not depend on the order of object keys', () => {
    const reordered: BudgetDefinition = {
      resetDuration: '1M',
      maxLimit: usd('10'),
      id: 'budget-1',
    };
    expect(budgetHash(reordered)).toBe(budgetHash(aBudget()));
  });

  it.each([
    ['id', { id: 'other' }],
    ['max_limit', { maxLimit: usd('10.000000001') }],
    ['reset_duration', { resetDuration: '30d' }],
  ])('changes when %s changes', (_field, overrides) => {
    expect(budgetHash(aBudget(overrides))).not.toBe(budgetHash(aBudget()));
  });

  // Pinned: hashes are stored, so the canonical form must not drift between releases.
  it('hashes the sorted-key JSON of id, max_limit in dollars and reset_duration', () => {
    expect(budgetHash(aBudget({ id: 'b', maxLimit: usd('10.5'), resetDuration: '1d' }))).toBe(
      '0a6dda989520ff799a25446ca11a63c969a72eb7ac7d98869fa8550aac19d4c2',
    );
  });
});

describe('rateLimitHash', () => {
  it('does not depend on the order of object keys', () => {
    const reordered: RateLimitDefinition = {
      requestResetDuration: '1m',
      requestMaxLimit: 100,
      tokenResetDuration: '1h',
      tokenMaxLimit: 1_000,
      id: 'rate-limit-1',
    };
    expect(rateLimitHash(reordered)).toBe(rateLimitHash(aRateLimit()));
  });

  it.each([
    ['id', { id: 'other' }],
    ['token_max_limit', { tokenMaxLimit: 1_001 }],
    ['the token dimension is dropped', { tokenMaxLimit: null, tokenResetDuration: null }],
    ['token_reset_duration', { tokenResetDuration: '2h' }],
    ['request_max_limit', { requestMaxLimit: 99 }],
    ['request_reset_duration', { requestResetDuration: '1h' }],
  ])('changes when %s changes', (_field, overrides) => {
    expect(rateLimitHash(aRateLimit(overrides))).not.toBe(rateLimitHash(aRateLimit()));
  });
});

describe('configHash', () => {
  const config = aConfig({ rateLimit: aRateLimit() });

  it('is a SHA-256 hex digest that is stable across calls', () => {
    expect(configHash(config)).toMatch(SHA256_HEX);
    expect(configHash(config)).toBe(configHash(aConfig({ rateLimit: aRateLimit() })));
  });

  it('ignores timestamps and the resolved scope name', () => {
    const touched = {
      ...config,
      createdAt: new Date('2030-01-01T00:00:00Z'),
      updatedAt: new Date('2030-01-02T00:00:00Z'),
      scopeName: 'my key',
    };
    expect(configHash(touched)).toBe(configHash(config));
  });

  it('ignores the listing order of budgets', () => {
    const a = aBudget({ id: 'a', resetDuration: '1d' });
    const b = aBudget({ id: 'b', resetDuration: '1w' });
    expect(configHash(aConfig({ budgets: [a, b] }))).toBe(configHash(aConfig({ budgets: [b, a] })));
  });

  it('ignores a stray scope id on a global config, as normalization drops it', () => {
    expect(configHash(aConfig({ scopeId: 'vk-1' }))).toBe(configHash(aConfig()));
  });

  it.each([
    ['id', { id: 'other' }],
    ['model_name', { modelName: 'gpt-4o-mini' }],
    ['provider', { provider: null }],
    ['scope', { scope: 'virtual_key' as const, scopeId: 'vk-1' }],
    ['calendar_aligned', { calendarAligned: true }],
    ['the budget list', { budgets: [] }],
    ['a budget', { budgets: [aBudget({ maxLimit: usd('11') })] }],
    ['the rate limit presence', { rateLimit: null }],
    ['the rate limit', { rateLimit: aRateLimit({ requestMaxLimit: 5 }) }],
  ])('changes when %s changes', (_field, overrides) => {
    expect(configHash({ ...config, ...overrides })).not.toBe(configHash(config));
  });

  it('tells scope ids apart within one scope', () => {
    const forKey = (scopeId: string): string => configHash(aConfig({ scope: 'user', scopeId }));
    expect(forKey('u-1')).not.toBe(forKey('u-2'));
  });
});
