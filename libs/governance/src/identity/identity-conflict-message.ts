import { ModelConfigDefinition } from '../model/model-config';

/** Bifrost's wording for a second config with the same (scope, scope_id, model, provider). */
export function identityConflictMessage(
  d: Pick<ModelConfigDefinition, 'modelName' | 'provider' | 'scope' | 'scopeId'>,
): string {
  const scope = d.scope === 'global' ? 'global' : `${d.scope} '${d.scopeId ?? ''}'`;
  const provider = d.provider === null ? '' : ` with provider '${d.provider}'`;
  return `Model config for model '${d.modelName}'${provider} (${scope}) already exists`;
}
