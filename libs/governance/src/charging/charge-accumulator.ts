import {
  chargedScopeOf,
  matchingIdentityKeys,
  scopeIdentityKeys,
} from '../matching/matching-identities';
import { Scope } from '../model/model-config';
import { Charge, Dimension, TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';
import { MAX_COUNTER_VALUE } from '../limits-of-input/supported-ranges';
import { windowEnd, windowStartMs } from '../window/window-start';
import { ChargeStep } from '../alerts/threshold-crossings';
import { LimitsByIdentity } from './charge-amount';
import {
  CHARGES_NO_SCOPE,
  CHARGES_USER,
  CHARGES_VIRTUAL_KEY,
  RouteCache,
  RouteSlot,
} from './route-cache';

export { RouteCache } from './route-cache';

/** A window's sum plus what threshold alerts need: its limit and each event's step. */
export interface AccumulatedCharge extends Charge {
  limit: TrackedLimit;
  /** empty when the accumulator keeps no steps */
  steps: ChargeStep[];
}

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
 * A window's running sum. Below 2^53 it is a plain number (exact, and adding it allocates
 * nothing, unlike a bigint); what does not fit is folded into `big`. Every amount is positive,
 * so saturating once at the end equals saturating after every addition.
 */
interface WindowSum {
  charge: AccumulatedCharge;
  small: number;
  big: bigint;
}

const COST = 0;
const TOKENS = 1;
const REQUESTS = 2;
const DIMENSION_CODES: Record<Dimension, number> = {
  cost: COST,
  tokens: TOKENS,
  requests: REQUESTS,
};
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);

/**
 * Pre-aggregates the charges of a whole batch: one running sum per counter window instead of
 * one object per event and limit. The limits a usage matches depend only on (model, provider,
 * virtual key, user), so they are looked up once per distinct combination; each route keeps,
 * per limit, the window it charged last, since a batch's events mostly fall in the same window
 * of a limit and a comparison is cheaper than the window arithmetic.
 */
export class ChargeAccumulator {
  /** counter key -> window start (epoch ms) -> running sum */
  private readonly sums = new Map<string, Map<number, WindowSum>>();
  private readonly routes: RouteCache;
  private readonly keepSteps: boolean;
  /** marks the route slots this accumulator filled (a shared cache outlives it) */
  private readonly epoch = {};

  constructor(
    private readonly limitsByIdentity: LimitsByIdentity,
    options: AccumulatorOptions = {},
  ) {
    this.routes = options.routes ?? new RouteCache();
    this.keepSteps = options.steps ?? true;
  }

  add(usage: UsageRecord): void {
    const { cost, totalTokens: tokens } = usage;
    // A failed call that used nothing is not billable at all (Bifrost's first UpdateUsage gate).
    if (!usage.success && tokens === 0 && cost === 0n) return;
    // Failed calls are billed for what they used but never counted as requests; a stream
    // counts once, on its final chunk.
    const requests = usage.success && (!usage.streaming || usage.finalChunk) ? 1 : 0;
    const slots = this.slotsOf(usage);
    if (cost > MAX_SAFE_BIG || !Number.isSafeInteger(tokens)) {
      this.addLarge(slots, usage, requests);
      return;
    }
    const costAmount = cost > 0n ? Number(cost) : 0;
    const tokenAmount = tokens > 0 ? tokens : 0;
    const timeMs = usage.time.getTime();
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i];
      const dimension = slot.dimension;
      const amount =
        dimension === COST ? costAmount : dimension === TOKENS ? tokenAmount : requests;
      if (amount <= 0) continue;
      if (slot.epoch !== this.epoch || timeMs < slot.startMs || timeMs >= slot.endMs) {
        this.locate(slot, usage.time);
      }
      const sum = slot.sum as WindowSum;
      const next = sum.small + amount;
      if (next <= MAX_SAFE) {
        sum.small = next;
      } else {
        sum.big += BigInt(sum.small) + BigInt(amount);
        sum.small = 0;
        if (sum.big > MAX_COUNTER_VALUE) sum.big = MAX_COUNTER_VALUE;
      }
      if (this.keepSteps) sum.charge.steps.push({ timeMs, amount: BigInt(amount) });
    }
  }

  /** Call when configs changed: the cached matches would charge the old ones. */
  forgetMatches(): void {
    this.routes.clear();
  }

  charges(): AccumulatedCharge[] {
    const charges: AccumulatedCharge[] = [];
    for (const windows of this.sums.values()) {
      for (const sum of windows.values()) {
        const total = sum.big + BigInt(sum.small);
        sum.charge.amount = total > MAX_COUNTER_VALUE ? MAX_COUNTER_VALUE : total;
        charges.push(sum.charge);
      }
    }
    return charges;
  }

  /** The rare usage whose cost or tokens do not fit a double exactly: bigint all the way. */
  private addLarge(slots: readonly RouteSlot[], usage: UsageRecord, requests: number): void {
    const timeMs = usage.time.getTime();
    for (const slot of slots) {
      const amount =
        slot.dimension === COST
          ? usage.cost > 0n
            ? usage.cost
            : 0n
          : slot.dimension === TOKENS
            ? usage.totalTokens > 0
              ? BigInt(usage.totalTokens)
              : 0n
            : BigInt(requests);
      if (amount <= 0n) continue;
      this.locate(slot, usage.time);
      const sum = slot.sum as WindowSum;
      sum.big += amount;
      if (sum.big > MAX_COUNTER_VALUE) sum.big = MAX_COUNTER_VALUE;
      if (this.keepSteps) sum.charge.steps.push({ timeMs, amount });
    }
  }

  /** Points the slot at the window of its limit that contains `time`. */
  private locate(slot: RouteSlot, time: Date): void {
    const limit = slot.limit;
    const startMs = windowStartMs(limit, time);
    let windows = this.sums.get(limit.counterKey);
    if (!windows) this.sums.set(limit.counterKey, (windows = new Map<number, WindowSum>()));
    let sum = windows.get(startMs);
    if (!sum) {
      const charge: AccumulatedCharge = {
        counterKey: limit.counterKey,
        windowStart: new Date(startMs),
        amount: 0n,
        limit,
        steps: [],
      };
      sum = { charge, small: 0, big: 0n };
      windows.set(startMs, sum);
    }
    slot.epoch = this.epoch;
    slot.startMs = startMs;
    slot.endMs = windowEnd(limit, sum.charge.windowStart).getTime();
    slot.sum = sum;
  }

  private slotsOf(usage: UsageRecord): readonly RouteSlot[] {
    const { model, provider, virtualKeyId, userId } = usage;
    // chargedScopeOf without its array: this runs for every event.
    const kind = userId ? CHARGES_USER : virtualKeyId ? CHARGES_VIRTUAL_KEY : CHARGES_NO_SCOPE;
    const scopeId = userId || virtualKeyId || '';
    let slots = this.routes.get(model, provider, kind, scopeId);
    if (!slots) {
      // The same limits as matchingLimits, a scope at a time: the global part depends on model
      // and provider only, the user's (or virtual key's) part on them and its id.
      const global = this.scopeSlots('global', null, usage);
      const scope = chargedScopeOf(usage);
      slots = scope ? global.concat(this.scopeSlots(scope[0], scope[1], usage)) : global;
      this.routes.set(model, provider, kind, scopeId, slots);
    }
    return slots;
  }

  private scopeSlots(scope: Scope, scopeId: string | null, usage: UsageRecord): RouteSlot[] {
    const { model, provider } = usage;
    let slots = this.routes.scopedOf(scope, scopeId, model, provider);
    if (!slots) {
      slots = this.slotsFor(scopeIdentityKeys(scope, scopeId, usage));
      this.routes.setScoped(scope, scopeId, model, provider, slots);
    }
    return slots;
  }

  private slotsFor(identityKeys: readonly string[]): RouteSlot[] {
    return limitsOfIdentities(identityKeys, this.limitsByIdentity).map((limit) =>
      this.routes.slotOf(limit, DIMENSION_CODES[limit.dimension]),
    );
  }
}

/** Every limit of every config the usage matches; each config once, however many tiers match. */
export function matchingLimits(
  usage: UsageRecord,
  limitsByIdentity: LimitsByIdentity,
): TrackedLimit[] {
  return limitsOfIdentities(matchingIdentityKeys(usage), limitsByIdentity);
}

/** The limits of the given identities, in order; each config once, however many tiers match. */
export function limitsOfIdentities(
  identityKeys: readonly string[],
  limitsByIdentity: LimitsByIdentity,
): TrackedLimit[] {
  const charged = new Set<string>();
  const limits: TrackedLimit[] = [];
  for (const key of identityKeys) {
    const found = (limitsByIdentity(key) ?? []).filter((l) => !charged.has(l.configId));
    limits.push(...found);
    // Marked after the key, not per limit: one config's several limits are all charged once.
    found.forEach((l) => charged.add(l.configId));
  }
  return limits;
}
