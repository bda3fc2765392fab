import { parseDollars } from '@app/governance';
import { readModelConfigBody } from './model-config-body';

describe('readModelConfigBody', () => {
  it('reads every field, dollars exactly', () => {
    expect(
      readModelConfigBody({
        model_name: 'gpt-4o',
        provider: null,
        scope: 'user',
        scope_id: 'u1',
        scope_name: 'Ada',
        calendar_aligned: true,
        budgets: [
          { max_limit: 10.1, reset_duration: '1d' },
          { id: 'b2', max_limit: 5, reset_duration: '1h' },
        ],
        rate_limit: { token_max_limit: 1000, token_reset_duration: '1h', request_max_limit: null },
        unknown: 'ignored',
      }),
    ).toEqual({
      modelName: 'gpt-4o',
      provider: null,
      scope: 'user',
      scopeId: 'u1',
      scopeName: 'Ada',
      calendarAligned: true,
      budgets: [
        { id: null, maxLimit: parseDollars('10.1'), resetDuration: '1d' },
        { id: 'b2', maxLimit: parseDollars('5'), resetDuration: '1h' },
      ],
      rateLimit: {
        tokenMaxLimit: 1000,
        tokenResetDuration: '1h',
        requestMaxLimit: null,
        requestResetDuration: null,
      },
    });
  });

  it('leaves absent fields undefined so an update keeps them', () => {
    expect(readModelConfigBody({})).toEqual({
      modelName: undefined,
      provider: undefined,
      scope: undefined,
      scopeId: undefined,
      scopeName: undefined,
      calendarAligned: undefined,
      budgets: undefined,
      rateLimit: undefined,
    });
  });

  it('reads a rate limit with both max limits null as "no rate limit"', () => {
    const body = { rate_limit: { token_max_limit: null, request_max_limit: null } };
    expect(readModelConfigBody(body).rateLimit).toBeNull();
  });

  it.each([
    [[], 'Invalid JSON: the body must be a JSON object'],
    ['text', 'Invalid JSON: the body must be a JSON object'],
    [{ model_name: 5 }, 'Invalid model_name: must be a string or null'],
    [{ budgets: {} }, 'Invalid budgets: must be an array'],
    [{ budgets: [5] }, 'Invalid budgets[0]: must be an object'],
    [
      { budgets: [{ max_limit: '5', reset_duration: '1d' }] },
      'Invalid budgets[0].max_limit: must be a number',
    ],
    [
      { budgets: [{ max_limit: -1, reset_duration: '1d' }] },
      'Budget max_limit cannot be negative: -1.00',
    ],
    [{ budgets: [{ max_limit: 1 }] }, 'Invalid budgets[0].reset_duration: must be a string'],
    [
      { budgets: [{ max_limit: 1e300, reset_duration: '1d' }] },
      'Invalid budgets[0].max_limit: not an amount of dollars',
    ],
    [{ rate_limit: 'fast' }, 'Invalid rate_limit: must be an object or null'],
    [
      { rate_limit: { token_max_limit: '5' } },
      'Invalid rate_limit.token_max_limit: must be a number or null',
    ],
    [{ calendar_aligned: 'yes' }, 'Invalid calendar_aligned: must be a boolean'],
    [{ rate_limits: [] }, 'rate_limits is not supported: use rate_limit'],
  ])('rejects %j with "%s"', (body, message) => {
    expect(() => readModelConfigBody(body)).toThrow(message);
  });
});
