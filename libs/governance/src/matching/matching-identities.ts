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
  const scopes: [Scope, string | null][] = [['global', null]];
  if (usage.userId) scopes.push(['user', usage.userId]);
  else if (usage.virtualKeyId) scopes.push(['virtual_key', usage.virtualKeyId]);
  const keys = scopes.flatMap(([scope, scopeId]) =>
    tiersOf(usage).map(([model, provider]) => identityKey(scope, scopeId, model, provider)),
  );
  return [...new Set(keys)];
}

function tiersOf(usage: UsageRecord): [string, string | null][] {
  // An empty provider cannot name a config (validation refuses it), so it only matches "all".
  const provider = usage.provider || null;
  return [
    [usage.model, provider],
    [usage.model, null],
    [ALL_MODELS, provider],
    [ALL_MODELS, null],
  ];
}
