import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { ModelConfigDefinition, UsageRecord } from '@app/governance';
import {
  AppliedBatch,
  BatchApplier,
  DeadLetter,
  DecodedRecord,
  PostgresModelConfigReadModel,
  RedisModelConfigReadModel,
  RedisProjectionWriter,
  RedisResync,
} from '@app/ledger';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { openTestDatabase } from './database-test-client';
import { clearTestRedis, TEST_READ_MODEL, testRegistry } from './test-read-model';
import { TEST_ENV } from './test-env';

/**
 * "Medium" tests: the ledger's own writers and readers on the real PostgreSQL and Redis, with
 * no Kafka. Batches are built as the projector builds them after decoding.
 */
export class LedgerMedium {
  readonly redis = new Redis(TEST_ENV.REDIS_URL);
  readonly version = TEST_READ_MODEL;
  readonly deadLetters: DeadLetter[] = [];
  db!: DataSource;
  applier!: BatchApplier;
  writer!: RedisProjectionWriter;
  resync!: RedisResync;
  postgres!: PostgresModelConfigReadModel;
  redisReadModel!: RedisModelConfigReadModel;
  private offsets = new Map<string, bigint>();

  async open(): Promise<void> {
    this.db = await openTestDatabase();
    this.build();
  }

  private build(): void {
    this.applier = new BatchApplier(this.db, testRegistry(this.db), async (letters) => {
      this.deadLetters.push(...letters);
    });
    this.writer = new RedisProjectionWriter(this.redis, this.version);
    this.resync = new RedisResync(this.db, this.redis, this.version, this.writer);
    this.postgres = new PostgresModelConfigReadModel(this.db, this.version);
    this.redisReadModel = new RedisModelConfigReadModel(this.redis, this.version);
  }

  async close(): Promise<void> {
    await this.db?.destroy();
    this.redis.disconnect();
  }

  /** Empty read models in both stores, and a fresh applier (its config cache included). */
  async clear(): Promise<void> {
    // DELETE, not TRUNCATE: these tables hold a few rows here, and TRUNCATE costs a lock and
    // a file swap per table and index (this runs once per property-test case).
    await this.db.query(
      `DELETE FROM event_store; DELETE FROM event_keys; DELETE FROM consumer_positions;
       UPDATE event_retention SET boundary = NULL, fold_seq = 0; DELETE FROM dead_letters;
       DELETE FROM ${this.version.tables.configs}; DELETE FROM ${this.version.tables.configCounts};
       DELETE FROM ${this.version.tables.counters};
       UPDATE ${this.version.tables.state} SET last_seq = 0, as_of = NULL, config_epoch = 0`,
    );
    await clearTestRedis(this.redis);
    this.offsets.clear();
    this.deadLetters.length = 0;
    this.build();
    // The projector's first resync cycle: only it creates the meta seq the read model needs.
    await this.resync.run();
  }

  /** One partition batch through the batch applier, then the Redis writer, as the projector. */
  async apply(events: LedgerEvent[], topic = 'medium.config'): Promise<AppliedBatch> {
    const applied = await this.commit(events, topic);
    await this.writer.write(applied, this.applier.configIndex());
    return applied;
  }

  /** The PostgreSQL commit alone: a projector that died before its Redis write. */
  async commit(events: LedgerEvent[], topic = 'medium.config'): Promise<AppliedBatch> {
    const first = this.offsets.get(topic) ?? 0n;
    const records: DecodedRecord[] = events.map((event, i) => ({
      offset: String(first + BigInt(i)),
      original: { key: null, value: null, headers: {} },
      event,
    }));
    const next = first + BigInt(events.length);
    this.offsets.set(topic, next);
    return this.applier.apply({
      group: 'medium',
      topic,
      partition: 0,
      records,
      nextOffset: next,
    });
  }
}

const meta = () => ({ source: 'tests/medium', id: randomUUID(), time: new Date() });

export const upserted = (config: ModelConfigDefinition): LedgerEvent => ({
  ...meta(),
  type: MODEL_CONFIG_UPSERTED_V1,
  config,
  expectedVersion: null,
});

export const deleted = (configId: string): LedgerEvent => ({
  ...meta(),
  type: MODEL_CONFIG_DELETED_V1,
  configId,
});

export const used = (usage: UsageRecord): LedgerEvent => ({
  ...meta(),
  time: usage.time,
  type: USAGE_RECORDED_V1,
  usage,
});
