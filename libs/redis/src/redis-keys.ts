/** Every Redis key the read model uses, in one place. */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** hash: config id -> config snapshot JSON */
  get configs(): string {
    return `${this.prefix}configs`;
  }

  /** hash: config id -> compact listing row (for filtering without reading whole snapshots) */
  get configIndex(): string {
    return `${this.prefix}config-index`;
  }

  /** hash: config id -> version of the last write (kept after delete, as a tombstone) */
  get configVersions(): string {
    return `${this.prefix}config-versions`;
  }

  /** hash: seq (newest applied event sequence), as_of (its time, epoch ms) */
  get meta(): string {
    return `${this.prefix}meta`;
  }

  /** string "version:value": usage of one counter series in one window */
  counter(counterKey: string, windowStartMs: number): string {
    return `${this.prefix}c:${counterKey}:${windowStartMs}`;
  }

  /** everything under the prefix, for tests and a full rebuild */
  get pattern(): string {
    return `${this.prefix}*`;
  }
}
