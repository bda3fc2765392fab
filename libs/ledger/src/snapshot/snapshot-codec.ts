import { ModelConfigDefinition, Scope, TrackedLimit } from '@app/governance';
import { ConfigSnapshot } from './config-snapshot';

/** JSON form shared by the PostgreSQL `definition`/`limits` columns and the Redis snapshots. */
export interface StoredDefinition {
  id: string;
  model_name: string;
  provider: string | null;
  scope: Scope;
  scope_id: string | null;
  scope_name: string | null;
  calendar_aligned: boolean;
  budgets: { id: string; max_limit_nanos: string; reset_duration: string }[];
  rate_limit: {
    id: string;
    token_max_limit: number | null;
    token_reset_duration: string | null;
    request_max_limit: number | null;
    request_reset_duration: string | null;
  } | null;
  created_at: string;
  updated_at: string;
}

export interface StoredLimit {
  config_id: string;
  kind: TrackedLimit['kind'];
  limit_id: string;
  dimension: TrackedLimit['dimension'];
  max_limit: string;
  reset_duration: string;
  calendar_aligned: boolean;
  anchor: string;
  counter_key: string;
}

export interface StoredSnapshot {
  definition: StoredDefinition;
  limits: StoredLimit[];
  config_hash: string;
  version: number;
}

export function storeDefinition(d: ModelConfigDefinition): StoredDefinition {
  return {
    id: d.id,
    model_name: d.modelName,
    provider: d.provider,
    scope: d.scope,
    scope_id: d.scopeId,
    scope_name: d.scopeName,
    calendar_aligned: d.calendarAligned,
    budgets: d.budgets.map((b) => ({
      id: b.id,
      max_limit_nanos: b.maxLimit.toString(),
      reset_duration: b.resetDuration,
    })),
    rate_limit: d.rateLimit && {
      id: d.rateLimit.id,
      token_max_limit: d.rateLimit.tokenMaxLimit,
      token_reset_duration: d.rateLimit.tokenResetDuration,
      request_max_limit: d.rateLimit.requestMaxLimit,
      request_reset_duration: d.rateLimit.requestResetDuration,
    },
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export function loadDefinition(s: StoredDefinition): ModelConfigDefinition {
  return {
    id: s.id,
    modelName: s.model_name,
    provider: s.provider,
    scope: s.scope,
    scopeId: s.scope_id,
    scopeName: s.scope_name,
    calendarAligned: s.calendar_aligned,
    budgets: s.budgets.map((b) => ({
      id: b.id,
      maxLimit: BigInt(b.max_limit_nanos),
      resetDuration: b.reset_duration,
    })),
    rateLimit: s.rate_limit && {
      id: s.rate_limit.id,
      tokenMaxLimit: s.rate_limit.token_max_limit,
      tokenResetDuration: s.rate_limit.token_reset_duration,
      requestMaxLimit: s.rate_limit.request_max_limit,
      requestResetDuration: s.rate_limit.request_reset_duration,
    },
    createdAt: new Date(s.created_at),
    updatedAt: new Date(s.updated_at),
  };
}

export function storeLimit(l: TrackedLimit): StoredLimit {
  return {
    config_id: l.configId,
    kind: l.kind,
    limit_id: l.limitId,
    dimension: l.dimension,
    max_limit: l.maxLimit.toString(),
    reset_duration: l.resetDuration,
    calendar_aligned: l.calendarAligned,
    anchor: l.anchor.toISOString(),
    counter_key: l.counterKey,
  };
}

export function loadLimit(s: StoredLimit): TrackedLimit {
  return {
    configId: s.config_id,
    kind: s.kind,
    limitId: s.limit_id,
    dimension: s.dimension,
    maxLimit: BigInt(s.max_limit),
    resetDuration: s.reset_duration,
    calendarAligned: s.calendar_aligned,
    anchor: new Date(s.anchor),
    counterKey: s.counter_key,
  };
}

export function storeSnapshot(s: ConfigSnapshot): StoredSnapshot {
  return {
    definition: storeDefinition(s.definition),
    limits: s.limits.map(storeLimit),
    config_hash: s.configHash,
    version: s.version,
  };
}

export function loadSnapshot(s: StoredSnapshot): ConfigSnapshot {
  return {
    definition: loadDefinition(s.definition),
    limits: s.limits.map(loadLimit),
    configHash: s.config_hash,
    version: Number(s.version),
  };
}
