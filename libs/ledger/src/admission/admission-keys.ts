import { RedisKeys } from '../read-model-version/redis-keys';

/**
 * The Redis keys of gateway admission. An admission reads the config generation (meta), the
 * committed counters of every limit it matches and writes holds: one Lua script needs them
 * all in one Redis Cluster slot. Every admission touches the global configs' counters, so no
 * finer split could keep one admission in one slot: admission keys carry the read-model
 * version's hash tag, like every other key of that version (see docs/admission.md).
 */
export class AdmissionKeys {
  private readonly prefix: string;

  constructor(readonly readModel: RedisKeys) {
    // The read model's base carries the version's hash tag: one slot for everything.
    this.prefix = readModel.base;
  }

  /** string: the first answer to a request id (kept until its hold expires) */
  answer(requestId: string): string {
    return `${this.prefix}adm:a:${requestId}`;
  }

  /** hash: request id -> JSON [pool key, amount, ...] of its active hold */
  get holds(): string {
    return `${this.prefix}adm:holds`;
  }

  /** sorted set: request id by expires_at (epoch ms) */
  get expiries(): string {
    return `${this.prefix}adm:exp`;
  }

  /** integer: the sum of active holds on one counter window */
  pool(counterKey: string, windowStartMs: number): string {
    return `${this.prefix}adm:p:${counterKey}:${windowStartMs}`;
  }
}
