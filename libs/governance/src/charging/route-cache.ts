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

type ByUser = Map<string | null, readonly RouteSlot[]>;

/**
 * The matched limits per usage route (model, provider, virtual key, user). Nested maps keyed by
 * the fields themselves: no route string is built per event (a string per event and its hash
 * were most of what a lookup cost).
 */
export class RouteCache {
  private readonly byModel = new Map<string, Map<string, Map<string | null, ByUser>>>();
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
    virtualKeyId: string | null,
    userId: string | null,
  ): readonly RouteSlot[] | undefined {
    return this.byModel.get(model)?.get(provider)?.get(virtualKeyId)?.get(userId);
  }

  set(
    model: string,
    provider: string,
    virtualKeyId: string | null,
    userId: string | null,
    slots: readonly RouteSlot[],
  ): void {
    let byProvider = this.byModel.get(model);
    if (!byProvider)
      this.byModel.set(model, (byProvider = new Map<string, Map<string | null, ByUser>>()));
    let byKey = byProvider.get(provider);
    if (!byKey) byProvider.set(provider, (byKey = new Map<string | null, ByUser>()));
    let byUser = byKey.get(virtualKeyId);
    if (!byUser) byKey.set(virtualKeyId, (byUser = new Map<string | null, readonly RouteSlot[]>()));
    byUser.set(userId, slots);
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
