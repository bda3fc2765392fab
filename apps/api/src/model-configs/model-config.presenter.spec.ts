import {
  budgetHash,
  configHash,
  ModelConfigDefinition,
  parseDollars,
  rateLimitHash,
  trackedLimitsFor,
} from '@app/governance';
import { ConfigSnapshot } from '@app/ledger';
import { countersToRead, presentModelConfig } from './model-config.presenter';

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
      team_id: null,
      virtual_key_id: null,
      provider_config_id: null,
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
      request_last_reset: null,
      config_hash: rateLimitHash(s.definition.rateLimit!),
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-02T00:00:00.000Z',
      token_max_limit: 1000,
      token_reset_duration: '1h',
      request_max_limit: null,
      request_reset_duration: null,
    });
  });

  it('renders the config with nulls for absent optional parts', () => {
    const view = presentModelConfig(snapshotOf({ budgets: [], rateLimit: null }), () => 0n, now);
    expect(view).toEqual({
      id: 'mc-1',
      model_name: 'gpt-4o',
      provider: null,
      scope: 'virtual_key',
      scope_id: 'vk-1',
      scope_name: null,
      calendar_aligned: false,
      budgets: [],
      budget: null,
      rate_limit: null,
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-02T00:00:00.000Z',
    });
  });

  it('lists the counter windows a view reads', () => {
    const s = snapshotOf();
    expect(countersToRead(s, now).map((c) => c.windowStart.toISOString())).toEqual([
      '2026-03-05T00:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
    ]);
  });
});
