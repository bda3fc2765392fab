import { ALL_MODELS, Scope } from '../model/model-config';
import { UsageRecord } from '../model/usage';

/** JSON of the tuple: null stays distinct from the string "null", and no separator can collide. */
export function identityKey(
  scope: Scope,
  scopeId: string | null,
  modelName: string,
  provider: string | null,
): string {
  return JSON.stringify([scope, scopeId, modelName, provider]);
}

/**
 * Every config identity one usage charges: global, then user (or, without a user, the virtual
 * key, so a request is never billed to both), each in four tiers from most to least specific.
 */
export function matchingIdentityKeys(usage: UsageRecord): string[] {
  const scoped = chargedScopeOf(usage);
  const global = scopeIdentityKeys('global', null, usage);
  return scoped ? [...global, ...scopeIdentityKeys(scoped[0], scoped[1], usage)] : global;
}

/** The scope besides global a usage charges: its user, else its virtual key, else none. */
export function chargedScopeOf(usage: UsageRecord): [Scope, string] | null {
  if (usage.userId) return ['user', usage.userId];
  if (usage.virtualKeyId) return ['virtual_key', usage.virtualKeyId];
  return null;
}

/** The distinct identities of one scope a usage charges, from most to least specific. */
export function scopeIdentityKeys(
  scope: Scope,
  scopeId: string | null,
  usage: Pick<UsageRecord, 'model' | 'provider'>,
): string[] {
  const keys = tiersOf(usage).map(([model, provider]) =>
    identityKey(scope, scopeId, model, provider),
  );
  return [...new Set(keys)];
}

function tiersOf(usage: Pick<UsageRecord, 'model' | 'provider'>): [string, string | null][] {
  // An empty provider cannot name a config (validation refuses it), so it only matches "all".
  const provider = usage.provider || null;
  return [
    [usage.model, provider],
    [usage.model, null],
    [ALL_MODELS, provider],
    [ALL_MODELS, null],
  ];
}
