import { ModelConfigDefinition, parseDollars } from '@app/governance';
import { readModelConfigBody } from '../write-side/model-config-body';
import { applyUpdate } from './apply-update';

const dollars = (s: string): bigint => parseDollars(s) ?? 0n;
const created = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-02-01T00:00:00Z');

const existing: ModelConfigDefinition = {
  id: 'mc-1',
  modelName: 'gpt-4o',
  provider: 'openai',
  scope: 'virtual_key',
  scopeId: 'vk-1',
  scopeName: null,
  calendarAligned: false,
  budgets: [
    { id: 'b-day', maxLimit: dollars('10'), resetDuration: '1d' },
    { id: 'b-hour', maxLimit: dollars('1'), resetDuration: '1h' },
  ],
  rateLimit: {
    id: 'rl-1',
    tokenMaxLimit: 100,
    tokenResetDuration: '1h',
    requestMaxLimit: null,
    requestResetDuration: null,
  },
  createdAt: created,
  updatedAt: created,
};

const update = (body: unknown) => {
  let n = 0;
  return applyUpdate(existing, readModelConfigBody(body), () => `new-${++n}`, now);
};

describe('applyUpdate', () => {
  it('keeps what the body leaves out and stamps updated_at', () => {
    expect(update({})).toEqual({ ...existing, updatedAt: now });
  });

  it('keeps budget ids by id, then by identical reset_duration, and mints the rest', () => {
    const next = update({
      budgets: [
        { max_limit: 2, reset_duration: '1h' },
        { id: 'b-day', max_limit: 20, reset_duration: '7d' },
        { max_limit: 3, reset_duration: '30m' },
      ],
    });
    expect(next.budgets).toEqual([
      { id: 'b-hour', maxLimit: dollars('2'), resetDuration: '1h' },
      { id: 'b-day', maxLimit: dollars('20'), resetDuration: '7d' },
      { id: 'new-1', maxLimit: dollars('3'), resetDuration: '30m' },
    ]);
    expect(next.createdAt).toBe(created);
  });

  it('removes budgets with [] and the rate limit with null', () => {
    const next = update({ budgets: [], rate_limit: null });
    expect(next.budgets).toEqual([]);
    expect(next.rateLimit).toBeNull();
  });

  it('keeps the rate-limit id when the rate limit changes', () => {
    const next = update({ rate_limit: { request_max_limit: 5, request_reset_duration: '1m' } });
    expect(next.rateLimit).toEqual({
      id: 'rl-1',
      tokenMaxLimit: null,
      tokenResetDuration: null,
      requestMaxLimit: 5,
      requestResetDuration: '1m',
    });
  });

  it('changes model_name and provider', () => {
    expect(update({ model_name: 'gpt-5', provider: null })).toMatchObject({
      modelName: 'gpt-5',
      provider: null,
    });
  });

  it.each([
    [{ scope: 'user' }, 'scope cannot be changed on update'],
    [{ scope_id: 'vk-2' }, 'scope_id cannot be changed on update'],
    [{ scope_id: null }, 'scope_id cannot be changed on update'],
    [
      { budgets: [{ id: 'nope', max_limit: 1, reset_duration: '1d' }] },
      'budget nope does not belong to this model config',
    ],
    [{ model_name: '' }, 'Model name is required'],
    [{ model_name: null }, 'Model name is required'],
    [{ provider: '' }, 'provider cannot be an empty string'],
  ])('rejects %j with "%s"', (body, message) => {
    expect(() => update(body)).toThrow(message);
  });

  it('accepts the unchanged scope and scope_id', () => {
    expect(() => update({ scope: 'virtual_key', scope_id: 'vk-1' })).not.toThrow();
  });
});
