import { matchingIdentityKeys } from '../matching/matching-identities';
import { Charge, Dimension, TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';
import { windowStart } from '../window/window-start';
import { aggregateCharges } from './aggregate-charges';

export type LimitsByIdentity = (identityKey: string) => readonly TrackedLimit[] | undefined;

/** What one usage adds to every counter of every config it matches, one charge per window. */
export function computeCharges(usage: UsageRecord, limitsByIdentity: LimitsByIdentity): Charge[] {
  // A failed call that used nothing is not billable at all (Bifrost's first UpdateUsage gate).
  if (!usage.success && usage.totalTokens === 0 && usage.cost === 0n) return [];
  const charged = new Set<string>();
  const charges: Charge[] = [];
  for (const key of matchingIdentityKeys(usage)) {
    const limits = (limitsByIdentity(key) ?? []).filter((limit) => !charged.has(limit.configId));
    for (const limit of limits) {
      const amount = amountFor(limit.dimension, usage);
      if (amount > 0n) {
        charges.push({
          counterKey: limit.counterKey,
          windowStart: windowStart(limit, usage.time),
          amount,
        });
      }
    }
    // Marked after the key, not per limit: one config's several limits are all charged once.
    limits.forEach((limit) => charged.add(limit.configId));
  }
  return aggregateCharges(charges);
}

function amountFor(dimension: Dimension, usage: UsageRecord): bigint {
  switch (dimension) {
    case 'cost':
      return usage.cost > 0n ? usage.cost : 0n;
    case 'tokens':
      return usage.totalTokens > 0 ? BigInt(usage.totalTokens) : 0n;
    case 'requests':
      // Failed calls are billed for what they used but never counted as requests; a stream
      // counts once, on its final chunk.
      return usage.success && (!usage.streaming || usage.finalChunk) ? 1n : 0n;
  }
}
