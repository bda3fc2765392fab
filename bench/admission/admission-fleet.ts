import { ModelConfigDefinition } from '@app/governance';

/**
 * The configs and the admission requests of the admission benchmarks (the scenario and
 * ab-compare): a catch-all, 9 model configs and 990 users' configs, so each admission matches
 * three configs and seven limits, none of them ever near its maximum.
 */
export const FLEET_MODELS = 9;
export const FLEET_USERS = 990;
const CREATED = new Date('2026-01-01T00:00:00Z');

const big = { budgets: [{ id: 'b', maxLimit: 10n ** 15n, resetDuration: '1d' }] };
const bigRate = {
  rateLimit: {
    id: 'rl',
    tokenMaxLimit: 1e12,
    tokenResetDuration: '1h',
    requestMaxLimit: 1e12,
    requestResetDuration: '1m',
  },
};

/** A config with the defaults of the fleet's (global, every model, no limits). */
export function fleetConfig(id: string, overrides: Partial<ModelConfigDefinition>) {
  const config: ModelConfigDefinition = {
    id,
    modelName: '*',
    provider: null,
    scope: 'global',
    scopeId: null,
    scopeName: null,
    calendarAligned: false,
    budgets: [],
    rateLimit: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  };
  return config;
}

export function fleetConfigs(): ModelConfigDefinition[] {
  return [
    fleetConfig('bench-all', { ...big }),
    ...Array.from({ length: FLEET_MODELS }, (_, i) =>
      fleetConfig(`bench-m-${i}`, { modelName: `m-${i}`, ...big, ...bigRate }),
    ),
    ...Array.from({ length: FLEET_USERS }, (_, i) =>
      fleetConfig(`bench-u-${i}`, { scope: 'user', scopeId: `u-${i}`, ...big, ...bigRate }),
    ),
  ];
}

/** The body of the i-th admission of a load phase: a model and a user of the fleet. */
export function fleetAdmission(requestId: string, i: number): string {
  return JSON.stringify({
    request_id: requestId,
    provider: 'openai',
    model: `m-${i % FLEET_MODELS}`,
    user_id: `u-${i % FLEET_USERS}`,
    estimated_cost: '0.001',
    estimated_tokens: 100,
    hold_for: '5s',
  });
}
