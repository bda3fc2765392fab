import { LimitsByIdentity } from '@app/governance';
import { RedisClient } from '@app/redis';
import { decodeSnapshot } from '../redis-projection/redis-config-row';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { AdmissionKeys } from './admission-keys';
import { READ_IDENTITIES_LUA } from './admission.lua';

export interface AdmissionConfigs {
  /** the meta `config_gen` the configs were read at */
  generation: string;
  limitsFor: LimitsByIdentity;
}

type IdentityRedis = RedisClient & {
  ulReadIdentities(numKeys: number, ...args: string[]): Promise<string[]>;
};

// Identities seen between two config changes; past this many the cache starts again, so its
// memory is bounded whatever the number of configs or of distinct callers.
const MAX_CACHED = 50_000;

/** Defines the cache's script on a client, before any cache uses it (see AdmissionLedger). */
export function defineIdentityRead(redis: RedisClient): void {
  redis.defineCommand('ulReadIdentities', { lua: READ_IDENTITIES_LUA });
}

/**
 * The configs an admission can match, read from Redis by identity (at most eight per request:
 * two scopes, four tiers) and kept per identity until the config generation moves. Redis time
 * and API memory grow with the identities asked for, never with the number of configs. The
 * admission script compares the generation a plan was made at with Redis's and refuses a stale
 * plan, so a decision never uses configs older than the ones Redis holds at that moment.
 */
export class AdmissionConfigCache {
  private generation = '';
  private readonly known = new Map<string, ConfigSnapshot | null>();
  private readonly redis: IdentityRedis;

  /** `redis` has the cache's script defined (defineIdentityRead). */
  constructor(
    redis: RedisClient,
    private readonly keys: AdmissionKeys,
  ) {
    this.redis = redis as IdentityRedis;
  }

  async get(identities: readonly string[]): Promise<AdmissionConfigs> {
    if (identities.every((i) => this.known.has(i))) {
      return { generation: this.generation, limitsFor: this.limitsFrom(this.known) };
    }
    const { generation, found } = await this.read(identities);
    if (generation !== this.generation || this.known.size > MAX_CACHED) {
      this.known.clear();
      this.generation = generation;
    }
    for (const [identity, snapshot] of found) this.known.set(identity, snapshot);
    // The plan uses what this read returned, all of one generation, whatever the cache did.
    return { generation, limitsFor: this.limitsFrom(found) };
  }

  /** Redis holds another generation: the next get() reads the configs again. */
  invalidate(seen: string): void {
    if (this.generation === seen) this.known.clear();
  }

  private limitsFrom(found: ReadonlyMap<string, ConfigSnapshot | null>): LimitsByIdentity {
    return (identity) => found.get(identity)?.limits;
  }

  private async read(identities: readonly string[]) {
    const { meta, identities: index, configs } = this.keys.readModel;
    const [generation, ...snapshots] = await this.redis.ulReadIdentities(
      3,
      meta,
      index,
      configs,
      ...identities,
    );
    const found = new Map<string, ConfigSnapshot | null>();
    identities.forEach((identity, i) =>
      found.set(identity, snapshots[i] ? decodeSnapshot(snapshots[i]) : null),
    );
    return { generation, found };
  }
}
