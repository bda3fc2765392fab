import { Dimension, TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';

export type LimitsByIdentity = (identityKey: string) => readonly TrackedLimit[] | undefined;

/** What one usage adds to a counter of the given dimension (0: nothing). */
export function amountFor(dimension: Dimension, usage: UsageRecord): bigint {
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
