import { TrackedLimit } from '../model/tracked-limit';

/**
 * One limit the usage routes charge, with the window of it they charged last (owned by
 * the accumulator whose `epoch` it carries; any other accumulator locates the window again).
 */
export interface RouteSlot {
  readonly limit: TrackedLimit;
  /** the limit's dimension as a small number: compared per event and limit */
  readonly dimension: number;
  epoch: object | null;
  startMs: number;
  /** exclusive: the next window's start */
  endMs: number;
  sum: unknown;
}

/** The scope besides global a usage charges (see chargedScopeOf): its user, else its key. */
export const CHARGES_NO_SCOPE = 0;
export const CHARGES_USER = 1;
export const CHARGES_VIRTUAL_KEY = 2;
export type ChargedScopeKind =
  typeof CHARGES_NO_SCOPE | typeof CHARGES_USER | typeof CHARGES_VIRTUAL_KEY;

/** A (model, provider)'s routes by the scope they charge. */
interface ByChargedScope {
  user: Map<string, readonly RouteSlot[]>;
  virtualKey: Map<string, readonly RouteSlot[]>;
  none: readonly RouteSlot[] | undefined;
}

/**
 * The matched limits per usage route: (model, provider) and the one scope besides global the
 * usage charges (its user, else its virtual key). Keyed by that scope, not by both ids: a
 * user's calls through many keys (or a fleet's random pairs) are one route, where the pairs
 * made a fifth of a bench log's events first sightings. Nested maps keyed by the fields
 * themselves: no route string is built per event (a string per event and its hash were most
 * of what a lookup cost).
 */
export class RouteCache {
  private readonly byModel = new Map<string, Map<string, ByChargedScope>>();
  /**
   * One slot per limit, shared by every route that charges it: events of many routes fall in
   * the same window of a shared limit (the global ones), which is then located once.
   */
  private readonly slots = new Map<TrackedLimit, RouteSlot>();
  /**
   * The slots of the configs of one scope (global: scope id null) a (model, provider) charges,
   * by scope, scope id, model, provider: shared by the many routes that differ elsewhere (every
   * virtual key of a user, every user of the global part).
   */
  private readonly scoped = new Map<
    string,
    Map<string | null, Map<string, Map<string, RouteSlot[]>>>
  >();

  scopedOf(
    scope: string,
    scopeId: string | null,
    model: string,
    provider: string,
  ): RouteSlot[] | undefined {
    return this.scoped.get(scope)?.get(scopeId)?.get(model)?.get(provider);
  }

  setScoped(
    scope: string,
    scopeId: string | null,
    model: string,
    provider: string,
    slots: RouteSlot[],
  ): void {
    let byId = this.scoped.get(scope);
    if (!byId) {
      this.scoped.set(
        scope,
        (byId = new Map<string | null, Map<string, Map<string, RouteSlot[]>>>()),
      );
    }
    let byModel = byId.get(scopeId);
    if (!byModel) byId.set(scopeId, (byModel = new Map<string, Map<string, RouteSlot[]>>()));
    let byProvider = byModel.get(model);
    if (!byProvider) byModel.set(model, (byProvider = new Map<string, RouteSlot[]>()));
    byProvider.set(provider, slots);
  }

  get(
    model: string,
    provider: string,
    kind: ChargedScopeKind,
    scopeId: string,
  ): readonly RouteSlot[] | undefined {
    const routes = this.byModel.get(model)?.get(provider);
    if (routes === undefined) return undefined;
    if (kind === CHARGES_USER) return routes.user.get(scopeId);
    if (kind === CHARGES_VIRTUAL_KEY) return routes.virtualKey.get(scopeId);
    return routes.none;
  }

  set(
    model: string,
    provider: string,
    kind: ChargedScopeKind,
    scopeId: string,
    slots: readonly RouteSlot[],
  ): void {
    let byProvider = this.byModel.get(model);
    if (!byProvider) this.byModel.set(model, (byProvider = new Map<string, ByChargedScope>()));
    let routes = byProvider.get(provider);
    if (!routes) {
      routes = { user: new Map(), virtualKey: new Map(), none: undefined };
      byProvider.set(provider, routes);
    }
    if (kind === CHARGES_USER) routes.user.set(scopeId, slots);
    else if (kind === CHARGES_VIRTUAL_KEY) routes.virtualKey.set(scopeId, slots);
    else routes.none = slots;
  }

  /** The slot of a limit (created on first use). */
  slotOf(limit: TrackedLimit, dimension: number): RouteSlot {
    let slot = this.slots.get(limit);
    if (!slot) {
      slot = { limit, dimension, epoch: null, startMs: 0, endMs: 0, sum: null };
      this.slots.set(limit, slot);
    }
    return slot;
  }

  clear(): void {
    this.byModel.clear();
    this.slots.clear();
    this.scoped.clear();
  }
}
