import {
  budgetHash,
  configHash,
  ModelConfigDefinition,
  parseDollars,
  rateLimitHash,
  trackedLimitsFor,
} from '@app/governance';
import { ConfigSnapshot } from '@app/ledger';
import { currentWindows } from '@app/ledger';
import { presentModelConfig } from './model-config.presenter';

const created = new Date('2026-03-01T00:00:00Z');
const dollars = (s: string): bigint => parseDollars(s) ?? 0n;

function snapshotOf(overrides: Partial<ModelConfigDefinition> = {}): ConfigSnapshot {
  const definition: ModelConfigDefinition = {
    id: 'mc-1',
    modelName: 'gpt-4o',
    provider: null,
    scope: 'virtual_key',
    scopeId: 'vk-1',
    scopeName: null,
    calendarAligned: false,
    budgets: [
      { id: 'b-day', maxLimit: dollars('10.5'), resetDuration: '1d' },
      { id: 'b-hour', maxLimit: dollars('1'), resetDuration: '1h' },
    ],
    rateLimit: {
      id: 'rl-1',
      tokenMaxLimit: 1000,
      tokenResetDuration: '1h',
      requestMaxLimit: null,
      requestResetDuration: null,
    },
    createdAt: created,
    updatedAt: new Date('2026-03-02T00:00:00Z'),
    ...overrides,
  };
  const limits = trackedLimitsFor(definition, [], '1');
  return { definition, limits, configHash: configHash(definition), version: 1 };
}

describe('presentModelConfig', () => {
  const now = new Date('2026-03-05T10:30:00Z');

  it('shows usage and last_reset of the window containing now', () => {
    const s = snapshotOf();
    const usage = new Map([
      [s.limits[0].counterKey, dollars('2.25')],
      [s.limits[2].counterKey, 321n],
    ]);
    const view = presentModelConfig(s, (k) => usage.get(k) ?? 0n, now);
    expect(view.budgets[0]).toEqual({
      id: 'b-day',
      max_limit: 10.5,
      reset_duration: '1d',
      last_reset: '2026-03-05T00:00:00.000Z',
      current_usage: 2.25,
      config_hash: budgetHash(s.definition.budgets[0]),
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-02T00:00:00.000Z',
      calendar_aligned: false,
    });
    expect(view.budgets[1]).toMatchObject({
      last_reset: '2026-03-05T10:00:00.000Z',
      current_usage: 0,
    });
    expect(view.budget).toEqual(view.budgets[0]);
    expect(view.rate_limit).toEqual({
      id: 'rl-1',
      token_current_usage: 321,
      token_last_reset: '2026-03-05T10:00:00.000Z',
      request_current_usage: 0,
      // no request limit: no window, so the rate limit's creation time, never null
      request_last_reset: '2026-03-01T00:00:00.000Z',
      config_hash: rateLimitHash(s.definition.rateLimit!),
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-02T00:00:00.000Z',
      token_max_limit: 1000,
      token_reset_duration: '1h',
    });
  });

  it('leaves unset optional parts out instead of sending null, as Bifrost does', () => {
    const view = presentModelConfig(
      snapshotOf({ scope: 'global', scopeId: null, budgets: [], rateLimit: null }),
      () => 0n,
      now,
    );
    expect(view).toStrictEqual({
      id: 'mc-1',
      model_name: 'gpt-4o',
      scope: 'global',
      calendar_aligned: false,
      budgets: [],
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-02T00:00:00.000Z',
    });
    expect(Object.keys(view)).not.toEqual(
      expect.arrayContaining(['provider', 'scope_id', 'scope_name', 'budget', 'rate_limit']),
    );
  });

  it('keeps the set optional parts, and leaves out the limit fields of a dimension without one', () => {
    const view = presentModelConfig(
      snapshotOf({
        provider: 'openai',
        scopeName: 'team 1',
        rateLimit: {
          id: 'rl-1',
          tokenMaxLimit: null,
          tokenResetDuration: null,
          requestMaxLimit: 10,
          requestResetDuration: '1m',
        },
      }),
      () => 0n,
      now,
    );
    expect(view).toMatchObject({ provider: 'openai', scope_id: 'vk-1', scope_name: 'team 1' });
    expect(Object.keys(view.budgets[0]).sort()).toEqual(
      [
        'calendar_aligned',
        'config_hash',
        'created_at',
        'current_usage',
        'id',
        'last_reset',
        'max_limit',
        'reset_duration',
        'updated_at',
      ].sort(),
    );
    expect(view.rate_limit).toMatchObject({
      token_last_reset: '2026-03-01T00:00:00.000Z',
      request_last_reset: '2026-03-05T10:30:00.000Z',
      request_max_limit: 10,
      request_reset_duration: '1m',
    });
    expect(view.rate_limit).not.toHaveProperty('token_max_limit');
    expect(view.rate_limit).not.toHaveProperty('token_reset_duration');
  });

  it('lists the counter windows a view reads', () => {
    const s = snapshotOf();
    expect(currentWindows(s, now).map((c) => c.windowStart.toISOString())).toEqual([
      '2026-03-05T00:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
    ]);
  });
});
