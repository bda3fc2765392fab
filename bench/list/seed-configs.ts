import { MODEL_CONFIG_UPSERTED_V1 } from '@app/contracts';
import { ModelConfigDefinition, Scope } from '@app/governance';
import { BatchApplier, RedisProjectionWriter } from '@app/ledger';

const CREATED = Date.parse('2026-01-01T00:00:00Z');
const PROVIDERS = ['openai', 'anthropic', 'bedrock', 'vertex', null];
const SCOPES: Scope[] = ['global', 'virtual_key', 'user'];
const BATCH = 2000;

/** Config `i` of the fleet: distinct identities, a budget and a rate limit (3 counters). */
function fleetConfig(i: number): ModelConfigDefinition {
  const scope = SCOPES[i % 3];
  const createdAt = new Date(CREATED + Math.floor(i / 3) * 1000); // ties of three
  return {
    id: `bench-list-${String(i).padStart(6, '0')}`,
    modelName: `model-${i}`,
    provider: PROVIDERS[i % PROVIDERS.length],
    scope,
    scopeId: scope === 'global' ? null : `${scope}-${i % 97}`,
    scopeName: null,
    calendarAligned: false,
    budgets: [{ id: 'b-month', maxLimit: 100_000_000_000n, resetDuration: '1M' }],
    rateLimit: {
      id: 'rl',
      tokenMaxLimit: 1_000_000,
      tokenResetDuration: '1h',
      requestMaxLimit: 10_000,
      requestResetDuration: '1m',
    },
    createdAt,
    updatedAt: createdAt,
  };
}

/**
 * Grows the fleet from `from` to `to` configs through the ledger's own writers (the batch
 * applier into PostgreSQL, then the Redis writer), as the projector would after decoding the
 * config topic, in batches of 2,000 without the Kafka round trips.
 */
export async function seedConfigs(
  applier: BatchApplier,
  writer: RedisProjectionWriter,
  from: number,
  to: number,
): Promise<void> {
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    const records = [];
    for (let i = start; i < end; i += 1) {
      records.push({
        offset: String(i),
        original: { key: null, value: null, headers: {} },
        event: {
          type: MODEL_CONFIG_UPSERTED_V1,
          source: 'bench/list',
          id: `config-${i}`,
          time: new Date(),
          config: fleetConfig(i),
          expectedVersion: null,
        } as const,
      });
    }
    const applied = await applier.apply({
      group: 'bench-list',
      topic: 'bench-list.config',
      partition: 0,
      records,
      nextOffset: BigInt(end),
    });
    await writer.write(applied, applier.configIndex());
    // The seeder is the only writer and has written every config: it stands in for the
    // projector's resync, the only one that creates the meta seq a read needs.
    await writer.writeMeta(applied.lastSeq, applied.asOf);
  }
}
