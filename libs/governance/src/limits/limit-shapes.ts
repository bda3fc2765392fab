import { invalidModelConfig } from '../errors/governance-error';
import { ModelConfigDefinition } from '../model/model-config';
import { TrackedLimit } from '../model/tracked-limit';

/** What a definition says about one counter, before usage history gives it a key and anchor. */
export type LimitShape = Pick<
  TrackedLimit,
  'kind' | 'limitId' | 'dimension' | 'maxLimit' | 'resetDuration'
>;

/** Budgets in definition order, then the rate limit's tokens, then its requests. */
export function limitShapesOf(def: ModelConfigDefinition): LimitShape[] {
  const shapes = def.budgets.map((b): LimitShape => ({
    kind: 'budget',
    limitId: b.id,
    dimension: 'cost',
    maxLimit: b.maxLimit,
    resetDuration: b.resetDuration,
  }));
  const rl = def.rateLimit;
  if (rl?.tokenMaxLimit != null) {
    shapes.push(rateLimitShape(rl.id, 'tokens', rl.tokenMaxLimit, rl.tokenResetDuration));
  }
  if (rl?.requestMaxLimit != null) {
    shapes.push(rateLimitShape(rl.id, 'requests', rl.requestMaxLimit, rl.requestResetDuration));
  }
  return shapes;
}

function rateLimitShape(
  limitId: string,
  dimension: 'tokens' | 'requests',
  maxLimit: number,
  resetDuration: string | null,
): LimitShape {
  // Validation guarantees a duration; failing here beats tracking a limit with no window.
  if (resetDuration === null) {
    const name = dimension === 'tokens' ? 'token' : 'request';
    throw invalidModelConfig(`${name}_reset_duration is required when ${name}_max_limit is set`);
  }
  return { kind: 'rate_limit', limitId, dimension, maxLimit: BigInt(maxLimit), resetDuration };
}
