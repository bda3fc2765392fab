import { GovernanceError } from '../errors/governance-error';
import { ModelConfigDefinition, Scope } from '../model/model-config';
import { aBudget, aConfig, aRateLimit, usd } from '../testing/builders';
import { normalizeModelConfig, validateModelConfig } from './validate-model-config';

const long = 'x'.repeat(256);

function rejectionOf(def: ModelConfigDefinition): GovernanceError {
  try {
    validateModelConfig(def);
  } catch (error) {
    if (error instanceof GovernanceError) return error;
    throw error;
  }
  throw new Error('expected validateModelConfig to throw');
}

const expectRejected = (def: ModelConfigDefinition, message: string): void => {
  const error = rejectionOf(def);
  expect(error.code).toBe('invalid_model_config');
  expect(error.message).toBe(message);
};

describe('validateModelConfig: the config itself', () => {
  it('accepts a global config with a budget and a rate limit', () => {
    expect(() => validateModelConfig(aConfig({ rateLimit: aRateLimit() }))).not.toThrow();
  });

  it('accepts a config with no budgets and no rate limit', () => {
    expect(() => validateModelConfig(aConfig({ budgets: [], rateLimit: null }))).not.toThrow();
  });

  it('accepts every scope with a scope id, and provider null for all providers', () => {
    for (const scope of ['virtual_key', 'user'] as const) {
      expect(() =>
        validateModelConfig(aConfig({ scope, scopeId: 'vk-1', provider: null })),
      ).not.toThrow();
    }
  });

  it('requires a model name', () => {
    expectRejected(aConfig({ modelName: '' }), 'Model name is required');
  });

  it('names the unknown scope', () => {
    expectRejected(aConfig({ scope: 'foo' as Scope }), 'Invalid scope "foo"');
  });

  it.each([[null], ['']])('requires a scope id (%j) outside the global scope', (scopeId) => {
    expectRejected(
      aConfig({ scope: 'virtual_key', scopeId }),
      'scope_id is required when scope is not global',
    );
    expectRejected(
      aConfig({ scope: 'user', scopeId }),
      'scope_id is required when scope is not global',
    );
  });

  it('allows a global config with a scope id (normalization drops it)', () => {
    expect(() => validateModelConfig(aConfig({ scope: 'global', scopeId: 'vk-1' }))).not.toThrow();
  });

  it('refuses an empty provider string', () => {
    expectRejected(aConfig({ provider: '' }), 'provider cannot be an empty string');
  });

  it.each([
    [{ id: long }, 'id must be at most 255 characters'],
    [{ modelName: long }, 'model_name must be at most 255 characters'],
    [{ scope: 'user' as const, scopeId: long }, 'scope_id must be at most 255 characters'],
    [{ provider: long }, 'provider must be at most 255 characters'],
    [{ budgets: [aBudget({ id: long })] }, 'budget id must be at most 255 characters'],
    [{ rateLimit: aRateLimit({ id: long }) }, 'rate_limit id must be at most 255 characters'],
  ])('limits identifiers to 255 characters (%#)', (overrides, message) => {
    expectRejected(aConfig(overrides), message);
  });

  it('accepts identifiers of exactly 255 characters', () => {
    const max = 'x'.repeat(255);
    const def = aConfig({ id: max, modelName: max, provider: max, scope: 'user', scopeId: max });
    expect(() => validateModelConfig(def)).not.toThrow();
  });
});

describe('validateModelConfig: budgets', () => {
  it.each([[0n], [-1n]])('refuses max_limit %s', (maxLimit) => {
    expectRejected(
      aConfig({ budgets: [aBudget({ maxLimit })] }),
      'Budget max_limit must be greater than zero',
    );
  });

  it('accepts the smallest positive amount, one nano-dollar', () => {
    expect(() =>
      validateModelConfig(aConfig({ budgets: [aBudget({ maxLimit: 1n })] })),
    ).not.toThrow();
  });

  it.each([['bogus'], ['0s'], ['-1d'], ['']])('refuses the reset duration %j', (resetDuration) => {
    expectRejected(
      aConfig({ budgets: [aBudget({ resetDuration })] }),
      `Invalid reset duration (must be a positive duration): ${resetDuration}`,
    );
  });

  it('refuses two budgets with the same duration written differently (1d and 24h)', () => {
    const budgets = [
      aBudget({ id: 'b1', resetDuration: '1d' }),
      aBudget({ id: 'b2', resetDuration: '24h' }),
    ];
    expectRejected(aConfig({ budgets }), 'Duplicate reset_duration in budgets: 24h');
  });

  it('refuses two budgets with the same id', () => {
    const budgets = [
      aBudget({ id: 'b1', resetDuration: '1d' }),
      aBudget({ id: 'b1', resetDuration: '1w' }),
    ];
    expectRejected(aConfig({ budgets }), 'Duplicate budget id: b1');
  });

  it('accepts several budgets with distinct ids and durations', () => {
    const budgets = [
      aBudget({ id: 'daily', resetDuration: '1d', maxLimit: usd('1') }),
      aBudget({ id: 'monthly', resetDuration: '1M', maxLimit: usd('20') }),
    ];
    expect(() => validateModelConfig(aConfig({ budgets }))).not.toThrow();
  });
});

describe('validateModelConfig: rate limit', () => {
  const withRateLimit = (overrides: Parameters<typeof aRateLimit>[0]): ModelConfigDefinition =>
    aConfig({ rateLimit: aRateLimit(overrides) });

  it('accepts a tokens-only and a requests-only rate limit', () => {
    const tokensOnly = withRateLimit({ requestMaxLimit: null, requestResetDuration: null });
    const requestsOnly = withRateLimit({ tokenMaxLimit: null, tokenResetDuration: null });
    expect(() => validateModelConfig(tokensOnly)).not.toThrow();
    expect(() => validateModelConfig(requestsOnly)).not.toThrow();
  });

  it('refuses a rate limit with neither max limit', () => {
    expectRejected(
      withRateLimit({ tokenMaxLimit: null, requestMaxLimit: null }),
      'rate limit must set token_max_limit or request_max_limit',
    );
  });

  it.each([[0], [-5], [1.5], [NaN], [Infinity], [2 ** 53]])(
    'refuses token_max_limit %d and request_max_limit %d',
    (limit) => {
      expectRejected(
        withRateLimit({ tokenMaxLimit: limit }),
        'rate limit token_max_limit must be a positive integer',
      );
      expectRejected(
        withRateLimit({ requestMaxLimit: limit }),
        'rate limit request_max_limit must be a positive integer',
      );
    },
  );

  it.each([[null], ['']])('requires a reset duration (%j) next to each max limit', (duration) => {
    expectRejected(
      withRateLimit({ tokenResetDuration: duration }),
      'token_reset_duration is required when token_max_limit is set',
    );
    expectRejected(
      withRateLimit({ requestResetDuration: duration }),
      'request_reset_duration is required when request_max_limit is set',
    );
  });

  it.each([['bogus'], ['0s'], ['-1m']])('names the invalid reset duration %j', (duration) => {
    expectRejected(
      withRateLimit({ tokenResetDuration: duration }),
      `Invalid token_reset_duration (must be a positive duration): ${duration}`,
    );
    expectRejected(
      withRateLimit({ requestResetDuration: duration }),
      `Invalid request_reset_duration (must be a positive duration): ${duration}`,
    );
  });

  it('ignores a reset duration whose max limit is unset', () => {
    const def = withRateLimit({ tokenMaxLimit: null, tokenResetDuration: 'bogus' });
    expect(() => validateModelConfig(def)).not.toThrow();
  });
});

describe('normalizeModelConfig', () => {
  it('drops the scope id of a global config', () => {
    expect(normalizeModelConfig(aConfig({ scope: 'global', scopeId: 'vk-1' })).scopeId).toBeNull();
  });

  it('keeps the scope id of a scoped config', () => {
    expect(normalizeModelConfig(aConfig({ scope: 'user', scopeId: 'u-1' })).scopeId).toBe('u-1');
  });

  it('does not mutate its input', () => {
    const def = aConfig({ scope: 'global', scopeId: 'vk-1' });
    normalizeModelConfig(def);
    expect(def.scopeId).toBe('vk-1');
  });
});

describe('validateModelConfig: what PostgreSQL and the window arithmetic can hold', () => {
  it.each([
    [{ modelName: 'gpt\u0000x' }, 'model_name must not contain NUL (U+0000) characters'],
    [{ provider: 'open\u0000ai' }, 'provider must not contain NUL (U+0000) characters'],
    [
      { scope: 'user' as const, scopeId: 'u\u0000' },
      'scope_id must not contain NUL (U+0000) characters',
    ],
    [{ scopeName: 'team\u0000' }, 'scope_name must not contain NUL (U+0000) characters'],
    [{ id: '\u0000' }, 'id must not contain NUL (U+0000) characters'],
    [
      { budgets: [aBudget({ id: 'b\u0000' })] },
      'budget id must not contain NUL (U+0000) characters',
    ],
    [
      { rateLimit: aRateLimit({ id: 'r\u0000' }) },
      'rate_limit id must not contain NUL (U+0000) characters',
    ],
    [
      { budgets: [aBudget({ resetDuration: '1h\u0000' })] },
      'reset_duration must not contain NUL (U+0000) characters',
    ],
    [{ modelName: 'fz-\ud83d' }, 'model_name must be valid Unicode (it contains a lone surrogate)'],
  ])('refuses text PostgreSQL cannot store (%#)', (overrides, message) => {
    expectRejected(aConfig(overrides), message);
  });

  it('limits scope_name like the other names', () => {
    expectRejected(
      aConfig({ scopeName: 'x'.repeat(10_000) }),
      'scope_name must be at most 255 characters',
    );
  });

  it('refuses a duration that parses to Infinity', () => {
    const huge = `${'9'.repeat(400)}h`;
    expect(rejectionOf(aConfig({ budgets: [aBudget({ resetDuration: huge })] })).message).toBe(
      'reset_duration must be at most 64 characters',
    );
  });

  it.each([['87601h'], ['11Y'], ['3651d'], ['99999999999999h']])(
    'refuses a reset duration longer than ten years (%s)',
    (resetDuration) => {
      expectRejected(
        aConfig({ budgets: [aBudget({ resetDuration })] }),
        `Invalid reset duration (must be at most 10Y): ${resetDuration}`,
      );
    },
  );

  it('refuses a rate-limit duration longer than ten years', () => {
    expectRejected(
      aConfig({ rateLimit: aRateLimit({ tokenResetDuration: '100000h' }) }),
      'Invalid token_reset_duration (must be at most 10Y): 100000h',
    );
  });

  it('refuses a 10 KB duration string before parsing it', () => {
    expectRejected(
      aConfig({ rateLimit: aRateLimit({ requestResetDuration: '1'.repeat(10_000) + 's' }) }),
      'request_reset_duration must be at most 64 characters',
    );
  });

  it.each([['10Y'], ['87600h'], ['3650d']])('accepts exactly ten years (%s)', (resetDuration) => {
    expect(() =>
      validateModelConfig(aConfig({ budgets: [aBudget({ resetDuration })] })),
    ).not.toThrow();
  });

  it('refuses a budget limit above a billion dollars', () => {
    expectRejected(
      aConfig({ budgets: [aBudget({ maxLimit: usd('1000000000.000000001') })] }),
      'Budget max_limit must be at most 1000000000',
    );
  });
});
