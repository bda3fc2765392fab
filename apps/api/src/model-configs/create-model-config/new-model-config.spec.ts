import { parseDollars } from '@app/governance';
import { readModelConfigBody } from '../write-side/model-config-body';
import { newModelConfig } from './new-model-config';

const now = new Date('2026-02-01T12:00:00Z');
const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};
const create = (body: unknown) => newModelConfig(readModelConfigBody(body), ids(), now);

describe('newModelConfig', () => {
  it('assigns ids and times, defaulting to a global config for every provider', () => {
    expect(
      create({
        model_name: 'gpt-4o',
        budgets: [
          { max_limit: 10, reset_duration: '1d' },
          { id: 'mine', max_limit: 1, reset_duration: '1h' },
        ],
        rate_limit: { request_max_limit: 60, request_reset_duration: '1m' },
      }),
    ).toEqual({
      id: 'id-1',
      modelName: 'gpt-4o',
      provider: null,
      scope: 'global',
      scopeId: null,
      scopeName: null,
      calendarAligned: false,
      budgets: [
        { id: 'id-2', maxLimit: parseDollars('10'), resetDuration: '1d' },
        { id: 'mine', maxLimit: parseDollars('1'), resetDuration: '1h' },
      ],
      rateLimit: {
        id: 'id-3',
        tokenMaxLimit: null,
        tokenResetDuration: null,
        requestMaxLimit: 60,
        requestResetDuration: '1m',
      },
      createdAt: now,
      updatedAt: now,
    });
  });

  it('forces scope_id to null for a global config', () => {
    expect(create({ model_name: 'm', scope: 'global', scope_id: 'x' }).scopeId).toBeNull();
    expect(create({ model_name: 'm', scope: '' }).scope).toBe('global');
  });

  it.each([
    [{}, 'Model name is required'],
    [{ model_name: '' }, 'Model name is required'],
    [{ model_name: 'm', scope: 'team' }, 'Invalid scope "team"'],
    [{ model_name: 'm', scope: 'virtual_key' }, 'scope_id is required when scope is not global'],
    [{ model_name: 'm', provider: '' }, 'provider cannot be an empty string'],
    [
      { model_name: 'm', budgets: [{ max_limit: 0, reset_duration: '1d' }] },
      'Budget max_limit must be greater than zero',
    ],
    [
      { model_name: 'm', budgets: [{ max_limit: 1, reset_duration: '-1h' }] },
      'Invalid reset duration (must be a positive duration): -1h',
    ],
    [
      {
        model_name: 'm',
        budgets: [
          { max_limit: 1, reset_duration: '1d' },
          { max_limit: 2, reset_duration: '1d' },
        ],
      },
      'Duplicate reset_duration in budgets: 1d',
    ],
    [
      { model_name: 'm', rate_limit: { token_max_limit: 0, token_reset_duration: '1h' } },
      'rate limit token_max_limit must be a positive integer',
    ],
    [
      { model_name: 'm', rate_limit: { token_max_limit: 5 } },
      'token_reset_duration is required when token_max_limit is set',
    ],
  ])('rejects %j with "%s"', (body, message) => {
    expect(() => create(body)).toThrow(message);
  });
});
