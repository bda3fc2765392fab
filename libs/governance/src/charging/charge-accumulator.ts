import { matchingIdentityKeys } from '../matching/matching-identities';
import { Charge, TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';
import { saturatingAdd } from '../limits-of-input/supported-ranges';
import { windowEnd, windowStartMs } from '../window/window-start';
import { ChargeStep } from '../alerts/threshold-crossings';
import { amountFor, LimitsByIdentity } from './charge-amount';

/** A window's sum plus what threshold alerts need: its limit and each event's step. */
export interface AccumulatedCharge extends Charge {
  limit: TrackedLimit;
  /** empty when the accumulator keeps no steps */
  steps: ChargeStep[];
}

/** The matched limits per usage route (model, provider, virtual key, user). */
export type RouteCache = Map<string, readonly TrackedLimit[]>;

export interface AccumulatorOptions {
  /**
   * Keep each event's step (default true): threshold alerts need them. A rebuild never alerts,
   * and a step per event and limit is most of what it would allocate.
   */
  steps?: boolean;
  /**
   * The route cache to use, kept by the caller across batches that see the same configs (a
   * replay's chunks); it is cleared with the matches when configs change.
   */
  routes?: RouteCache;
}

/**
 * Pre-aggregates the charges of a whole batch: one running sum per counter window instead of
 * one object per event and limit. The limits a usage matches depend only on (model, provider,
 * virtual key, user), so they are looked up once per distinct combination.
 */
export class ChargeAccumulator {
  /** counter key -> window start (epoch ms) -> running sum */
  private readonly sums = new Map<string, Map<number, AccumulatedCharge>>();
  private readonly routes: RouteCache;
  private readonly keepSteps: boolean;
  /**
   * The window each limit charged last, with its bounds: a batch's events mostly fall in the
   * same window of a limit, and a comparison is cheaper than the window arithmetic.
   */
  private readonly lastWindow = new Map<TrackedLimit, LastWindow>();

  constructor(
    private readonly limitsByIdentity: LimitsByIdentity,
    options: AccumulatorOptions = {},
  ) {
    this.routes = options.routes ?? new Map<string, readonly TrackedLimit[]>();
    this.keepSteps = options.steps ?? true;
  }

  add(usage: UsageRecord): void {
    // A failed call that used nothing is not billable at all (Bifrost's first UpdateUsage gate).
    if (!usage.success && usage.totalTokens === 0 && usage.cost === 0n) return;
    const timeMs = usage.time.getTime();
    for (const limit of this.limitsOf(usage)) {
      const amount = amountFor(limit.dimension, usage);
      if (amount <= 0n) continue;
      const last = this.lastWindow.get(limit);
      if (last && timeMs >= last.startMs && timeMs < last.endMs) {
        last.sum.amount = saturatingAdd(last.sum.amount, amount);
        if (this.keepSteps) last.sum.steps.push({ timeMs, amount });
        continue;
      }
      const startMs = windowStartMs(limit, usage.time);
      let windows = this.sums.get(limit.counterKey);
      if (!windows) {
        this.sums.set(limit.counterKey, (windows = new Map<number, AccumulatedCharge>()));
      }
      let sum = windows.get(startMs);
      if (sum) {
        sum.amount = saturatingAdd(sum.amount, amount);
        if (this.keepSteps) sum.steps.push({ timeMs, amount });
      } else {
        sum = {
          counterKey: limit.counterKey,
          windowStart: new Date(startMs),
          amount,
          limit,
          steps: this.keepSteps ? [{ timeMs, amount }] : [],
        };
        windows.set(startMs, sum);
      }
      const endMs = windowEnd(limit, sum.windowStart).getTime();
      this.lastWindow.set(limit, { startMs, endMs, sum });
    }
  }

  /** Call when configs changed: the cached matches would charge the old ones. */
  forgetMatches(): void {
    this.routes.clear();
    this.lastWindow.clear();
  }

  charges(): AccumulatedCharge[] {
    return [...this.sums.values()].flatMap((windows) => [...windows.values()]);
  }

  private limitsOf(usage: UsageRecord): readonly TrackedLimit[] {
    const route = `${usage.model}\u0000${usage.provider}\u0000${usage.virtualKeyId}\u0000${usage.userId}`;
    let limits = this.routes.get(route);
    if (!limits) {
      limits = matchingLimits(usage, this.limitsByIdentity);
      this.routes.set(route, limits);
    }
    return limits;
  }
}

interface LastWindow {
  startMs: number;
  /** exclusive: the next window's start */
  endMs: number;
  sum: AccumulatedCharge;
}

/** Every limit of every config the usage matches; each config once, however many tiers match. */
export function matchingLimits(
  usage: UsageRecord,
  limitsByIdentity: LimitsByIdentity,
): TrackedLimit[] {
  const charged = new Set<string>();
  const limits: TrackedLimit[] = [];
  for (const key of matchingIdentityKeys(usage)) {
    const found = (limitsByIdentity(key) ?? []).filter((l) => !charged.has(l.configId));
    limits.push(...found);
    // Marked after the key, not per limit: one config's several limits are all charged once.
    found.forEach((l) => charged.add(l.configId));
  }
  return limits;
}
