import { EncodedRecord } from '@app/contracts';
import { UsageRecord } from '@app/governance';
import { randomUUID } from 'crypto';
import { usageMessage } from '../produce/usage-producer';
import { Fleet } from './fleet-configs';
import { GATEWAY_MODELS, GatewayModel } from './gateway-models';
import { SeededRandom } from './seeded-random';

/** Shares of the traffic that exercise the ledger's harder paths. */
export interface TrafficMix {
  /** records sent again unchanged, as a producer retrying after a timeout does */
  duplicates: number;
  /** events whose time lies minutes to hours back (a gateway flushing a backlog) */
  late: number;
  /** calls streamed as several chunks, each with its usage increment */
  streaming: number;
  failures: number;
}

export const DEFAULT_MIX: TrafficMix = {
  duplicates: 0.01,
  late: 0.02,
  streaming: 0.25,
  failures: 0.02,
};

/** What was produced; `requests` and `costNanos` are what the catch-all config must count. */
export interface TrafficStats {
  records: number;
  events: number;
  duplicates: number;
  late: number;
  chunks: number;
  requests: number;
  costNanos: bigint;
}

const CHUNKS_PER_STREAM = 3;
const RETRY_MEMORY = 1000;
const MAX_LATENESS_MS = 6 * 3_600_000;
const MODEL_WHEEL = GATEWAY_MODELS.flatMap((m) => Array<GatewayModel>(m.weight).fill(m));

/**
 * The usage events of a fleet of gateways: calls by virtual keys and users (a few keys send
 * most), over weighted models, each a structured CloudEvent as `usageMessage` encodes it.
 */
export class GatewayTraffic {
  readonly stats: TrafficStats = {
    records: 0,
    events: 0,
    duplicates: 0,
    late: 0,
    chunks: 0,
    requests: 0,
    costNanos: 0n,
  };
  private readonly random: SeededRandom;
  private readonly sent: EncodedRecord[] = [];
  private pending: EncodedRecord[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly mix: TrafficMix = DEFAULT_MIX,
    private readonly source = 'usage-ledger/simulate',
    seed = 1,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** The next `count` records, as the gateways would send them at `now`. */
  take(count: number, now: Date): EncodedRecord[] {
    while (this.pending.length < count) this.pending.push(...this.nextCall(now));
    const out = this.pending.slice(0, count);
    this.pending = this.pending.slice(count);
    this.stats.records += out.length;
    return out;
  }

  private nextCall(now: Date): EncodedRecord[] {
    if (this.sent.length > 0 && this.random.chance(this.mix.duplicates)) {
      this.stats.duplicates += 1;
      return [this.random.pick(this.sent)];
    }
    const late = this.random.chance(this.mix.late);
    if (late) this.stats.late += 1;
    const time = late ? new Date(now.getTime() - this.random.int(60_000, MAX_LATENESS_MS)) : now;
    const usages = this.call(time);
    const records = usages.map((u) => usageMessage(u, this.source, randomUUID()));
    for (const [i, u] of usages.entries()) this.count(u, records[i]);
    return records;
  }

  private call(time: Date): UsageRecord[] {
    const r = this.random;
    const model = r.pick(MODEL_WHEEL);
    const userId =
      this.fleet.users.length > 0 && r.chance(0.4) ? r.pickSkewed(this.fleet.users) : null;
    const base = {
      requestId: `sim-${randomUUID()}`,
      provider: model.provider,
      model: model.model,
      virtualKeyId: this.fleet.virtualKeys.length > 0 ? r.pickSkewed(this.fleet.virtualKeys) : null,
      userId,
      success: !r.chance(this.mix.failures),
      time,
    };
    const input = r.int(50, 4000);
    const output = base.success ? r.int(10, 1200) : 0;
    const chunks = r.chance(this.mix.streaming) ? CHUNKS_PER_STREAM : 1;
    // A stream reports increments: the prompt with the first chunk, the completion spread out.
    return Array.from({ length: chunks }, (_, k) => {
      const inputTokens = k === 0 ? input : 0;
      const outputTokens = Math.floor(output / chunks) + (k === chunks - 1 ? output % chunks : 0);
      return {
        ...base,
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        cost: BigInt(
          inputTokens * model.inputNanosPerToken + outputTokens * model.outputNanosPerToken,
        ),
        streaming: chunks > 1,
        finalChunk: k === chunks - 1,
      };
    });
  }

  private count(usage: UsageRecord, record: EncodedRecord): void {
    this.stats.events += 1;
    if (usage.streaming) this.stats.chunks += 1;
    if (usage.success && usage.finalChunk) this.stats.requests += 1;
    this.stats.costNanos += usage.cost;
    if (this.sent.length < RETRY_MEMORY) this.sent.push(record);
    else this.sent[this.random.int(0, RETRY_MEMORY - 1)] = record;
  }
}
