import { identityKey, validateModelConfig } from '@app/governance';
import { buildFleet } from './fleet-configs';

describe('buildFleet', () => {
  const fleet = buildFleet(1000);

  it('builds the requested number of configs with unique identities and ids', () => {
    expect(fleet.configs).toHaveLength(1000);
    const identities = fleet.configs.map((c) =>
      identityKey(c.scope, c.scopeId, c.modelName, c.provider),
    );
    expect(new Set(identities).size).toBe(1000);
    expect(new Set(fleet.configs.map((c) => c.id)).size).toBe(1000);
  });

  it('spreads configs over the three scopes, with several budget windows and rate limits', () => {
    const byScope = (s: string) => fleet.configs.filter((c) => c.scope === s).length;
    expect(byScope('global')).toBeGreaterThan(1);
    expect(byScope('virtual_key')).toBeGreaterThan(byScope('user'));
    expect(byScope('user')).toBeGreaterThan(100);
    expect(fleet.configs.some((c) => c.budgets.length >= 3)).toBe(true);
    expect(fleet.configs.filter((c) => c.rateLimit !== null).length).toBeGreaterThan(500);
  });

  it('starts with a global all-models config that counts requests', () => {
    const catchAll = fleet.configs.find((c) => c.id === fleet.catchAllId)!;
    expect(catchAll).toMatchObject({ scope: 'global', modelName: '*', provider: null });
    expect(catchAll.rateLimit?.requestMaxLimit).toBeGreaterThan(0);
  });

  it('is the same fleet for the same seed', () => {
    expect(buildFleet(50, 7)).toEqual(buildFleet(50, 7));
  });

  it('builds configs the API would accept', () => {
    for (const c of fleet.configs) expect(() => validateModelConfig(c)).not.toThrow();
  });
});
