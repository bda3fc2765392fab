import {
  ALL_MODELS,
  BudgetDefinition,
  ModelConfigDefinition,
  RateLimitDefinition,
  Scope,
} from '@app/governance';
import { GATEWAY_MODELS, GATEWAY_PROVIDERS } from './gateway-models';
import { SeededRandom } from './seeded-random';

const NANOS_PER_DOLLAR = 1_000_000_000n;
const CREATED = new Date('2026-01-01T00:00:00Z');
const BUDGET_WINDOWS = ['1h', '1d', '1w', '1M'];
/** configs per virtual key and per user: one "all models" budget, then a few model-specific */
const SLOTS = { virtual_key: 4, user: 2 } as const;

/** scope, scope id, model name, provider: what makes a config unique */
type Identity = [Scope, string | null, string, string | null];

export interface Fleet {
  configs: ModelConfigDefinition[];
  /** the global all-models config every usage event charges (the exactly-once check uses it) */
  catchAllId: string;
  virtualKeys: string[];
  users: string[];
}

/**
 * `count` model configs across the three scopes, as an organisation running a gateway has
 * them: an org-wide budget, per-model and per-provider global limits, then per-virtual-key
 * (60%) and per-user (40%) configs, each with one to three budget windows and mostly a rate
 * limit. Ids are stable for a seed, so publishing the fleet twice changes nothing.
 */
export function buildFleet(count: number, seed = 1): Fleet {
  const random = new SeededRandom(seed);
  const identities: Identity[] = [
    ['global', null, ALL_MODELS, null] as Identity,
    ...GATEWAY_MODELS.map((m): Identity => ['global', null, m.model, m.provider]),
    ...GATEWAY_PROVIDERS.map((p): Identity => ['global', null, ALL_MODELS, p]),
  ].slice(0, count);
  const rest = count - identities.length;
  const perVirtualKey = Math.ceil(rest * 0.6);
  const virtualKeys = scoped('virtual_key', perVirtualKey, identities);
  const users = scoped('user', rest - perVirtualKey, identities);
  const configs = identities.map(([scope, scopeId, modelName, provider], i) =>
    definition(random, i, { scope, scopeId, modelName, provider }),
  );
  return { configs, catchAllId: configs[0].id, virtualKeys, users };
}

/** Appends `count` identities of one scope; returns the scope ids used. */
function scoped(scope: 'virtual_key' | 'user', count: number, into: Identity[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const owner = Math.floor(i / SLOTS[scope]);
    const slot = i % SLOTS[scope];
    const scopeId = `${scope === 'user' ? 'user' : 'vk'}-${owner}`;
    if (slot === 0) ids.push(scopeId);
    const model = GATEWAY_MODELS[(owner + slot) % GATEWAY_MODELS.length];
    into.push(
      slot === 0
        ? [scope, scopeId, ALL_MODELS, null]
        : [scope, scopeId, model.model, model.provider],
    );
  }
  return ids;
}

function definition(
  random: SeededRandom,
  i: number,
  identity: Pick<ModelConfigDefinition, 'scope' | 'scopeId' | 'modelName' | 'provider'>,
): ModelConfigDefinition {
  const id = `sim-${i}`;
  const windows = BUDGET_WINDOWS.filter(() => random.chance(0.5));
  const budgets: BudgetDefinition[] = (windows.length > 0 ? windows : ['1d']).map((w) => ({
    id: `${id}-${w}`,
    maxLimit: BigInt(random.int(10, 1000)) * NANOS_PER_DOLLAR,
    resetDuration: w,
  }));
  return {
    id,
    ...identity,
    scopeName: identity.scopeId === null ? null : `Simulated ${identity.scopeId}`,
    calendarAligned: random.chance(0.3),
    budgets,
    // The catch-all always counts requests: the benchmark's exactly-once check reads them.
    rateLimit: i === 0 || random.chance(0.7) ? rateLimit(random, id) : null,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

function rateLimit(random: SeededRandom, id: string): RateLimitDefinition {
  return {
    id: `${id}-rl`,
    tokenMaxLimit: random.int(100, 10_000) * 1000,
    tokenResetDuration: '1h',
    requestMaxLimit: random.int(60, 6000),
    requestResetDuration: '1m',
  };
}
