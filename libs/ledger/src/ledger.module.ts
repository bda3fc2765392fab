import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { AdmissionLedger } from './admission/admission-ledger';
import { ChangeProgressReader } from './change-progress/change-progress.reader';
import { LiveConfigLookup } from './config-lookup/live-config-lookup';
import { CounterHistoryReader } from './history/counter-history.reader';
import { PostgresModelConfigReadModel } from './listing/postgres-model-config.read-model';
import { RedisModelConfigReadModel } from './listing/redis-model-config.read-model';
import { DeadLetterReader } from './projection/dead-letter-log';
import { READ_MODEL_VERSION, ReadModelVersion } from './read-model-version/read-model-version';
import { RedisWriters } from './redis-projection/redis-writers';
import {
  ACTIVE_VERSION_IN_POSTGRES,
  ACTIVE_VERSION_IN_REDIS,
  ActiveVersionFollower,
} from './versions/active-version.follower';
import { VersionRegistry } from './versions/version-registry';
import { VersionSource } from './versions/version-source';

type Source = VersionSource;

/**
 * The ledger's ports for the apps. Each port resolves the active read-model version once per
 * call: the PostgreSQL ports from the registry (polled every POLL_INTERVAL), the Redis ports
 * from the Redis pointer (polled too; they never touch PostgreSQL). READ_MODEL_VERSION is the
 * version served until the first poll answers. Needs DataSource and Redis from the host.
 */
@Global()
@Module({
  providers: [
    {
      provide: READ_MODEL_VERSION,
      inject: [AppConfig],
      useFactory: (c: AppConfig) =>
        new ReadModelVersion(c.env.READ_MODEL_VERSION, c.env.REDIS_KEY_PREFIX),
    },
    {
      provide: VersionRegistry,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, c: AppConfig) => new VersionRegistry(ds, c.env.REDIS_KEY_PREFIX),
    },
    {
      provide: ACTIVE_VERSION_IN_POSTGRES,
      inject: [VersionRegistry, READ_MODEL_VERSION, AppConfig],
      useFactory: (r: VersionRegistry, v: ReadModelVersion, c: AppConfig) =>
        ActiveVersionFollower.ofRegistry(r, v, c.env.POLL_INTERVAL),
    },
    {
      provide: ACTIVE_VERSION_IN_REDIS,
      inject: [REDIS_CLIENT, VersionRegistry, READ_MODEL_VERSION, AppConfig],
      useFactory: (redis: RedisClient, r: VersionRegistry, v: ReadModelVersion, c: AppConfig) =>
        ActiveVersionFollower.ofRedisPointer(
          redis,
          r,
          c.env.REDIS_KEY_PREFIX,
          v,
          c.env.POLL_INTERVAL,
        ),
    },
    {
      provide: RedisWriters,
      inject: [REDIS_CLIENT],
      useFactory: (redis: RedisClient) => new RedisWriters(redis),
    },
    {
      provide: PostgresModelConfigReadModel,
      inject: [DataSource, ACTIVE_VERSION_IN_POSTGRES],
      useFactory: (ds: DataSource, v: Source) => new PostgresModelConfigReadModel(ds, v),
    },
    {
      provide: RedisModelConfigReadModel,
      inject: [REDIS_CLIENT, ACTIVE_VERSION_IN_REDIS],
      useFactory: (redis: RedisClient, v: Source) => new RedisModelConfigReadModel(redis, v),
    },
    {
      provide: LiveConfigLookup,
      inject: [DataSource, ACTIVE_VERSION_IN_POSTGRES],
      useFactory: (ds: DataSource, v: Source) => new LiveConfigLookup(ds, v),
    },
    {
      provide: ChangeProgressReader,
      inject: [DataSource, REDIS_CLIENT, ACTIVE_VERSION_IN_POSTGRES],
      useFactory: (ds: DataSource, redis: RedisClient, v: Source) =>
        new ChangeProgressReader(ds, redis, v),
    },
    {
      provide: CounterHistoryReader,
      inject: [DataSource, ACTIVE_VERSION_IN_POSTGRES],
      useFactory: (ds: DataSource, v: Source) => new CounterHistoryReader(ds, v),
    },
    {
      provide: DeadLetterReader,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new DeadLetterReader(ds),
    },
    {
      provide: AdmissionLedger,
      inject: [REDIS_CLIENT, ACTIVE_VERSION_IN_REDIS],
      useFactory: (redis: RedisClient, v: Source) => new AdmissionLedger(redis, v),
    },
  ],
  exports: [
    READ_MODEL_VERSION,
    VersionRegistry,
    ACTIVE_VERSION_IN_POSTGRES,
    ACTIVE_VERSION_IN_REDIS,
    RedisWriters,
    PostgresModelConfigReadModel,
    RedisModelConfigReadModel,
    LiveConfigLookup,
    ChangeProgressReader,
    CounterHistoryReader,
    DeadLetterReader,
    AdmissionLedger,
  ],
})
export class LedgerModule {}
