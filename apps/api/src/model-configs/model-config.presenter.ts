import {
  BudgetDefinition,
  budgetHash,
  formatDollars,
  RateLimitDefinition,
  rateLimitHash,
  TrackedLimit,
  windowStartMs,
} from '@app/governance';
import { ConfigSnapshot } from '@app/ledger';
import { BudgetView, ModelConfigView, RateLimitView } from './model-config.view';

/** Usage of a counter series in its current window (absent = 0). */
export type UsageOf = (counterKey: string) => bigint;

// Two SHA-256 per config were a large part of a page's cost: each hash is kept by the very
// fields it covers (so a changed limit is a new key), a bounded number of them (oldest out).
const HASHES_KEPT = 10_000;
const hashes = new Map<string, string>();
function memoHash<T>(key: string, definition: T, hash: (d: T) => string): string {
  let known = hashes.get(key);
  if (known === undefined) {
    known = hash(definition);
    if (hashes.size >= HASHES_KEPT) hashes.delete(hashes.keys().next().value as string);
    hashes.set(key, known);
  }
  return known;
}

const budgetHashOf = (b: BudgetDefinition): string =>
  memoHash(JSON.stringify(['b', b.id, String(b.maxLimit), b.resetDuration]), b, budgetHash);

const rateLimitHashOf = (rl: RateLimitDefinition): string =>
  memoHash(
    JSON.stringify([
      'r',
      rl.id,
      rl.tokenMaxLimit,
      rl.tokenResetDuration,
      rl.requestMaxLimit,
      rl.requestResetDuration,
    ]),
    rl,
    rateLimitHash,
  );

/**
 * The window (and so the usage and `last_reset`) is the one containing `now`. What does not
 * depend on usage or time (hashes, formatted limits, timestamps, optional fields) is worked out
 * once per snapshot: the Redis read model hands the same decoded snapshot to every request.
 */
export function presentModelConfig(
  s: ConfigSnapshot,
  usageOf: UsageOf,
  now: Date,
): ModelConfigView {
  const st = staticsOf(s);
  const budgets = st.budgets.map((b) => presentBudget(st, b, usageOf, now));
  // Key order is the answer's field order: identity, budgets, budget, rate_limit, timestamps.
  const view = { ...st.identity, budgets } as ModelConfigView;
  if (budgets.length > 0) view.budget = budgets[0];
  if (st.rateLimit !== null) view.rate_limit = presentRateLimit(st, st.rateLimit, usageOf, now);
  view.created_at = st.createdAt;
  view.updated_at = st.updatedAt;
  return view;
}

/** One counter series a view shows, with the `last_reset` text of the window last asked for. */
interface Series {
  limit: TrackedLimit;
  startMs: number;
  startText: string;
}

interface BudgetStatics {
  id: string;
  maxLimit: number;
  resetDuration: string;
  hash: string;
  createdAt: string;
  series: Series | null;
}

interface RateLimitStatics {
  id: string;
  hash: string;
  createdAt: string;
  tokens: Series | null;
  requests: Series | null;
  /** the limit and duration fields of the dimensions that have a limit */
  limits: Partial<RateLimitView>;
}

interface ConfigStatics {
  identity: Partial<ModelConfigView>;
  budgets: BudgetStatics[];
  rateLimit: RateLimitStatics | null;
  calendarAligned: boolean;
  createdAt: string;
  updatedAt: string;
}

const statics = new WeakMap<ConfigSnapshot, ConfigStatics>();

function staticsOf(s: ConfigSnapshot): ConfigStatics {
  let known = statics.get(s);
  if (known === undefined) {
    known = computeStatics(s);
    statics.set(s, known);
  }
  return known;
}

function computeStatics(s: ConfigSnapshot): ConfigStatics {
  const d = s.definition;
  const series = (l: TrackedLimit | undefined): Series | null =>
    l ? { limit: l, startMs: NaN, startText: '' } : null;
  const budgets = d.budgets.map((b): BudgetStatics => {
    const limit = s.limits.find((l) => l.kind === 'budget' && l.limitId === b.id);
    return {
      id: b.id,
      maxLimit: formatDollars(b.maxLimit),
      resetDuration: b.resetDuration,
      hash: budgetHashOf(b),
      createdAt: (limit?.anchor ?? d.createdAt).toISOString(),
      series: series(limit),
    };
  });
  // Bifrost leaves unset optional fields out (Go `omitempty`) rather than sending null.
  const identity: Partial<ModelConfigView> = {
    id: d.id,
    model_name: d.modelName,
    ...present('provider', d.provider),
    scope: d.scope,
    ...present('scope_id', d.scopeId),
    ...present('scope_name', d.scopeName),
    calendar_aligned: d.calendarAligned,
  };
  return {
    identity,
    budgets,
    rateLimit: d.rateLimit && rateLimitStatics(s, d.rateLimit, series),
    calendarAligned: d.calendarAligned,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

function rateLimitStatics(
  s: ConfigSnapshot,
  rl: RateLimitDefinition,
  series: (l: TrackedLimit | undefined) => Series | null,
): RateLimitStatics {
  const own = s.limits.filter((l) => l.kind === 'rate_limit' && l.limitId === rl.id);
  const tokens = own.find((l) => l.dimension === 'tokens');
  const requests = own.find((l) => l.dimension === 'requests');
  const anchors = own.map((l) => l.anchor.getTime());
  const createdAt = anchors.length > 0 ? new Date(Math.min(...anchors)) : s.definition.createdAt;
  return {
    id: rl.id,
    hash: rateLimitHashOf(rl),
    createdAt: createdAt.toISOString(),
    tokens: series(tokens),
    requests: series(requests),
    limits: {
      ...present('token_max_limit', tokens ? rl.tokenMaxLimit : null),
      ...present('token_reset_duration', tokens ? rl.tokenResetDuration : null),
      ...present('request_max_limit', requests ? rl.requestMaxLimit : null),
      ...present('request_reset_duration', requests ? rl.requestResetDuration : null),
    },
  };
}

/** `{ [key]: value }`, or `{}` for a null (or empty) value: spread into a view. */
function present<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return value === null || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}

function presentBudget(
  st: ConfigStatics,
  b: BudgetStatics,
  usageOf: UsageOf,
  now: Date,
): BudgetView {
  return {
    id: b.id,
    max_limit: b.maxLimit,
    reset_duration: b.resetDuration,
    last_reset: b.series ? lastReset(b.series, now) : st.updatedAt,
    current_usage: formatDollars(b.series ? usageOf(b.series.limit.counterKey) : 0n),
    config_hash: b.hash,
    created_at: b.createdAt,
    updated_at: st.updatedAt,
    calendar_aligned: st.calendarAligned,
  };
}

function presentRateLimit(
  st: ConfigStatics,
  rl: RateLimitStatics,
  usageOf: UsageOf,
  now: Date,
): RateLimitView {
  const { tokens, requests } = rl;
  // A dimension without a limit has no window; Bifrost still sends a timestamp (its creation).
  return {
    id: rl.id,
    token_current_usage: Number(tokens ? usageOf(tokens.limit.counterKey) : 0n),
    token_last_reset: tokens ? lastReset(tokens, now) : rl.createdAt,
    request_current_usage: Number(requests ? usageOf(requests.limit.counterKey) : 0n),
    request_last_reset: requests ? lastReset(requests, now) : rl.createdAt,
    config_hash: rl.hash,
    created_at: rl.createdAt,
    updated_at: st.updatedAt,
    ...rl.limits,
  };
}

/** The start of the window containing `now`, as text formatted once per window. */
function lastReset(series: Series, now: Date): string {
  const startMs = windowStartMs(series.limit, now);
  if (startMs !== series.startMs) {
    series.startMs = startMs;
    series.startText = new Date(startMs).toISOString();
  }
  return series.startText;
}
