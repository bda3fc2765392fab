import {
  BudgetDefinition,
  budgetHash,
  formatDollars,
  RateLimitDefinition,
  rateLimitHash,
  TrackedLimit,
  windowStart,
} from '@app/governance';
import { ConfigSnapshot } from '@app/ledger';
import { BudgetView, ModelConfigView, RateLimitView } from './model-config.view';

/** Usage of a counter series in its current window (absent = 0). */
export type UsageOf = (counterKey: string) => bigint;

/** The window (and so the usage and `last_reset`) is the one containing `now`. */
export function presentModelConfig(
  s: ConfigSnapshot,
  usageOf: UsageOf,
  now: Date,
): ModelConfigView {
  const d = s.definition;
  const budgets = d.budgets.map((b) => presentBudget(s, b, usageOf, now));
  // Bifrost leaves unset optional fields out (Go `omitempty`) rather than sending null.
  return {
    id: d.id,
    model_name: d.modelName,
    ...present('provider', d.provider),
    scope: d.scope,
    ...present('scope_id', d.scopeId),
    ...present('scope_name', d.scopeName),
    calendar_aligned: d.calendarAligned,
    budgets,
    ...present('budget', budgets[0] ?? null),
    ...present('rate_limit', d.rateLimit && presentRateLimit(s, d.rateLimit, usageOf, now)),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

/** `{ [key]: value }`, or `{}` for a null (or empty) value: spread into a view. */
function present<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return value === null || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}

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

function presentBudget(
  s: ConfigSnapshot,
  budget: BudgetDefinition,
  usageOf: UsageOf,
  now: Date,
): BudgetView {
  const limit = s.limits.find((l) => l.kind === 'budget' && l.limitId === budget.id);
  const current = limit ? currentWindow(limit, usageOf, now) : null;
  return {
    id: budget.id,
    max_limit: formatDollars(budget.maxLimit),
    reset_duration: budget.resetDuration,
    last_reset: current?.lastReset ?? s.definition.updatedAt.toISOString(),
    current_usage: formatDollars(current?.usage ?? 0n),
    config_hash: budgetHashOf(budget),
    created_at: (limit?.anchor ?? s.definition.createdAt).toISOString(),
    updated_at: s.definition.updatedAt.toISOString(),
    calendar_aligned: s.definition.calendarAligned,
  };
}

function presentRateLimit(
  s: ConfigSnapshot,
  rl: RateLimitDefinition,
  usageOf: UsageOf,
  now: Date,
): RateLimitView {
  const own = s.limits.filter((l) => l.kind === 'rate_limit' && l.limitId === rl.id);
  const tokens = own.find((l) => l.dimension === 'tokens');
  const requests = own.find((l) => l.dimension === 'requests');
  const token = tokens ? currentWindow(tokens, usageOf, now) : null;
  const request = requests ? currentWindow(requests, usageOf, now) : null;
  const anchors = own.map((l) => l.anchor.getTime());
  const createdAt = anchors.length > 0 ? new Date(Math.min(...anchors)) : s.definition.createdAt;
  // A dimension without a limit has no window; Bifrost still sends a timestamp (its creation).
  const created = createdAt.toISOString();
  return {
    id: rl.id,
    token_current_usage: Number(token?.usage ?? 0n),
    token_last_reset: token?.lastReset ?? created,
    request_current_usage: Number(request?.usage ?? 0n),
    request_last_reset: request?.lastReset ?? created,
    config_hash: rateLimitHashOf(rl),
    created_at: created,
    updated_at: s.definition.updatedAt.toISOString(),
    ...present('token_max_limit', tokens ? rl.tokenMaxLimit : null),
    ...present('token_reset_duration', tokens ? rl.tokenResetDuration : null),
    ...present('request_max_limit', requests ? rl.requestMaxLimit : null),
    ...present('request_reset_duration', requests ? rl.requestResetDuration : null),
  };
}

function currentWindow(limit: TrackedLimit, usageOf: UsageOf, now: Date) {
  return { usage: usageOf(limit.counterKey), lastReset: windowStart(limit, now).toISOString() };
}
