import {
  AdmissionLimit,
  AdmissionRequest,
  Dimension,
  estimatedUsage,
  LimitKind,
  matchingIdentityKeys,
  planAdmission,
} from '@app/governance';
import { RedisClient } from '@app/redis';
import { AdmissionConfigCache, defineIdentityRead } from './admission-config-cache';
import { AdmissionKeys } from './admission-keys';
import { ADMIT_LUA, RELEASE_LUA } from './admission.lua';
import { ReadModelNotReadyError } from '../redis-projection/read-model-not-ready.error';
import { VersionSource } from '../versions/version-source';

/** One limit as it stood when the admission was decided. */
export interface DecidedLimit {
  configId: string;
  kind: LimitKind;
  limitId: string;
  dimension: Dimension;
  maxLimit: bigint;
  committed: bigint;
  /** active holds of other requests, before this one */
  reserved: bigint;
  /** what this request holds (or would have held) */
  amount: bigint;
  resetsAtMs: number;
  exceeded: boolean;
}

export interface AdmissionDecision {
  allowed: boolean;
  requestId: string;
  decidedAtMs: number;
  expiresAtMs: number;
  limits: DecidedLimit[];
  /** the answer given to an earlier request with the same id */
  repeated: boolean;
}

type Descriptor = [string, LimitKind, string, Dimension, string, string, number];
type StoredAnswer = [
  string,
  string,
  string,
  string[] | object,
  string[] | object,
  number[] | object,
  string,
];
type Reply = [string, string?];
type AdmissionRedis = RedisClient & {
  ulAdmit(numKeys: number, ...args: string[]): Promise<Reply>;
  ulRelease(numKeys: number, ...args: string[]): Promise<number>;
};

// Past its window a pool is never read again; the grace covers clocks a little apart.
const POOL_TTL_GRACE = '60000'; // ms
// A plan goes stale only when configs change between reading them and the script: rare.
const MAX_ATTEMPTS = 5;

/** The keys and config cache of one read-model version's slot. */
interface Slot {
  versionId: number;
  keys: AdmissionKeys;
  configs: AdmissionConfigCache;
}

/**
 * The admission port: check-and-hold, release. Settlement is the projector's (Redis writer).
 * Holds live in the active version's slot: after `replay switch` new admissions hold in the
 * new version and do not see the holds made in the old one before the switch (they expire, or
 * are settled there by the projector, which settles in every followed version).
 */
export class AdmissionLedger {
  private readonly redis: AdmissionRedis;
  private slot: Slot | null = null;

  constructor(
    redis: RedisClient,
    private readonly versions: VersionSource,
  ) {
    // Every script is defined here, once, before the client runs one: ioredis copies a client's
    // commands into a pipeline when it opens it, so a command defined later (it was, on the
    // first admission, and again after a switch) is missing from a pipeline already open, and
    // with auto-pipelining that broke the client for good (redis/ioredis#1931).
    redis.defineCommand('ulAdmit', { lua: ADMIT_LUA });
    redis.defineCommand('ulRelease', { lua: RELEASE_LUA });
    defineIdentityRead(redis);
    this.redis = redis as AdmissionRedis;
  }

  async admit(request: AdmissionRequest, now: Date): Promise<AdmissionDecision> {
    const slot = this.slotNow(); // one version for the whole decision
    const identities = matchingIdentityKeys(estimatedUsage(request, now));
    for (let attempt = 1; ; attempt += 1) {
      const { generation, limitsFor } = await slot.configs.get(identities);
      const plan = planAdmission(request, limitsFor, now, identities);
      const [status, payload = ''] = await this.redis.ulAdmit(
        4 + plan.length * 2,
        ...this.keysOf(slot.keys, request, plan),
        ...this.argsOf(request, plan, generation, now),
      );
      if (status === 'not_ready') throw new ReadModelNotReadyError();
      if (status !== 'stale') return decode(request.requestId, payload, status === 'repeat');
      slot.configs.invalidate(generation);
      if (attempt >= MAX_ATTEMPTS) throw new Error('configs kept changing during admission');
    }
  }

  /** True when an active hold was released; false when there was none (settled, expired…). */
  async release(requestId: string): Promise<boolean> {
    const k = this.slotNow().keys;
    return (
      (await this.redis.ulRelease(3, k.holds, k.expiries, k.answer(requestId), requestId)) === 1
    );
  }

  private slotNow(): Slot {
    const version = this.versions.current();
    if (this.slot?.versionId !== version.id) {
      const keys = new AdmissionKeys(version.keys);
      this.slot = {
        versionId: version.id,
        keys,
        configs: new AdmissionConfigCache(this.redis, keys),
      };
    }
    return this.slot;
  }

  private keysOf(k: AdmissionKeys, request: AdmissionRequest, plan: AdmissionLimit[]): string[] {
    const keys = [k.readModel.meta, k.answer(request.requestId), k.holds, k.expiries];
    for (const p of plan) {
      keys.push(k.readModel.counter(p.limit.counterKey, p.windowStartMs));
      keys.push(k.pool(p.limit.counterKey, p.windowStartMs));
    }
    return keys;
  }

  private argsOf(
    request: AdmissionRequest,
    plan: AdmissionLimit[],
    generation: string,
    now: Date,
  ): string[] {
    const nowMs = now.getTime();
    const descriptors = plan.map(({ limit: l, amount, resetsAtMs }): Descriptor => [
      l.configId,
      l.kind,
      l.limitId,
      l.dimension,
      l.maxLimit.toString(),
      amount.toString(),
      resetsAtMs,
    ]);
    const args = [
      generation,
      String(nowMs),
      String(request.holdMs),
      request.requestId,
      String(nowMs + request.holdMs),
      JSON.stringify(descriptors),
      POOL_TTL_GRACE,
    ];
    for (const p of plan) {
      args.push(p.amount.toString(), p.limit.maxLimit.toString(), String(p.resetsAtMs));
    }
    return args;
  }
}

function decode(requestId: string, json: string, repeated: boolean): AdmissionDecision {
  const [status, expiresAt, descriptorJson, committed, reserved, blocked, decidedAt] = JSON.parse(
    json,
  ) as StoredAnswer;
  // cjson writes an empty Lua table as {}: no limits matched.
  const list = <T>(v: T[] | object): T[] => (Array.isArray(v) ? (v as T[]) : []);
  const exceeded = new Set(list(blocked).map((i) => i - 1));
  const used = list(committed);
  const held = list(reserved);
  const limits = (JSON.parse(descriptorJson) as Descriptor[]).map(
    ([configId, kind, limitId, dimension, max, amount, resetsAtMs], i): DecidedLimit => ({
      configId,
      kind,
      limitId,
      dimension,
      maxLimit: BigInt(max),
      committed: BigInt(used[i]),
      reserved: BigInt(held[i]),
      amount: BigInt(amount),
      resetsAtMs,
      exceeded: exceeded.has(i),
    }),
  );
  return {
    allowed: status === 'allowed',
    requestId,
    decidedAtMs: Number(decidedAt),
    expiresAtMs: Number(expiresAt),
    limits,
    repeated,
  };
}
