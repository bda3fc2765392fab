/**
 * What the Redis read model holds, stamped in meta `layout` by the resync once a full rewrite
 * has produced it. 1: before the admission identity index; 2: with it. A Redis written by an
 * older release (no stamp, or a lower one) is rewritten in full, configs of the same version
 * included, and admissions answer "being rebuilt" until then instead of matching no config.
 */
export const REDIS_LAYOUT = '2';

/**
 * Every Redis key of one read-model version. All of them share one hash tag (`{<prefix>v<n>}`),
 * so they live in one Redis Cluster slot and every Lua script of the read model touches one
 * slot. Index keys are sorted sets scored by created_at (ms): equal scores order by member
 * bytes, which is the listing's tie-break (id, code-point order).
 */
export class RedisKeys {
  /** `{ul:v1}:`: what every key of this version starts with */
  readonly base: string;

  constructor(prefix: string, version: number) {
    if (/[{}]/.test(prefix)) throw new Error('REDIS_KEY_PREFIX must not contain { or }');
    this.base = `{${prefix}v${version}}:`;
  }

  /** hash: config id -> config snapshot JSON */
  get configs(): string {
    return `${this.base}configs`;
  }

  /** hash: config id -> version of the last write (kept after delete, as a tombstone) */
  get configVersions(): string {
    return `${this.base}config-versions`;
  }

  /** hash: config identity (scope, scope id, model, provider) -> id of the live config holding it */
  get identities(): string {
    return `${this.base}identities`;
  }

  /** hash: config id -> listing row JSON (which index sets hold it, its identity) */
  get listing(): string {
    return `${this.base}listing`;
  }

  /** hash: config id -> folded model name (what `search` scans) */
  get names(): string {
    return `${this.base}names`;
  }

  /** sorted set: every live config, scored by created_at */
  get order(): string {
    return `${this.base}order`;
  }

  /** sorted sets of the live configs with one scope / scope_id / provider */
  byScope(scope: string): string {
    return `${this.base}scope:${scope}`;
  }

  byScopeId(scopeId: string): string {
    return `${this.base}scope-id:${scopeId}`;
  }

  byProvider(provider: string): string {
    return `${this.base}provider:${provider}`;
  }

  /** hash: seq (newest applied event sequence), as_of (its time, epoch ms) */
  get meta(): string {
    return `${this.base}meta`;
  }

  /** string "version:value": usage of one counter series in one window */
  counter(counterKey: string, windowStartMs: number): string {
    return `${this.base}c:${counterKey}:${windowStartMs}`;
  }

  /** every key of this version, for tests and a rebuild (`{` and `}` are literal in globs) */
  get pattern(): string {
    return `${this.base}*`;
  }

  /** every key of every version under `prefix` (what a benchmark run leaves to delete) */
  static everyVersion(prefix: string): string {
    return `${new RedisKeys(prefix, 0).base.replace(/v0\}:$/, 'v[0-9]*}:')}*`;
  }
}
