import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { AdmissionKeys } from './admission/admission-keys';
import { AdmissionLedger } from './admission/admission-ledger';
import { ChangeProgressReader } from './change-progress/change-progress.reader';
import { LiveConfigLookup } from './config-lookup/live-config-lookup';
import { CounterHistoryReader } from './history/counter-history.reader';
import { PostgresModelConfigReadModel } from './listing/postgres-model-config.read-model';
import { RedisModelConfigReadModel } from './listing/redis-model-config.read-model';
import { DeadLetterReader } from './projection/dead-letter-log';
import { READ_MODEL_VERSION, ReadModelVersion } from './read-model-version/read-model-version';
import { RedisProjectionWriter } from './redis-projection/redis-projection.writer';
import { RedisResync } from './redis-projection/redis-resync';

type Version = ReadModelVersion;

/**
 * The ledger's ports for the apps, all bound to the active read-model version
 * (READ_MODEL_VERSION, chosen once at boot). Needs DataSource and Redis from the host.
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
      provide: PostgresModelConfigReadModel,
      inject: [DataSource, READ_MODEL_VERSION],
      useFactory: (ds: DataSource, v: Version) => new PostgresModelConfigReadModel(ds, v),
    },
    {
      provide: RedisModelConfigReadModel,
      inject: [REDIS_CLIENT, READ_MODEL_VERSION],
      useFactory: (redis: RedisClient, v: Version) => new RedisModelConfigReadModel(redis, v),
    },
    {
      provide: LiveConfigLookup,
      inject: [DataSource, READ_MODEL_VERSION],
      useFactory: (ds: DataSource, v: Version) => new LiveConfigLookup(ds, v),
    },
    {
      provide: ChangeProgressReader,
      inject: [DataSource, REDIS_CLIENT, READ_MODEL_VERSION],
      useFactory: (ds: DataSource, redis: RedisClient, v: Version) =>
        new ChangeProgressReader(ds, redis, v),
    },
    {
      provide: CounterHistoryReader,
      inject: [DataSource, READ_MODEL_VERSION],
      useFactory: (ds: DataSource, v: Version) => new CounterHistoryReader(ds, v),
    },
    {
      provide: DeadLetterReader,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new DeadLetterReader(ds),
    },
    {
      provide: RedisProjectionWriter,
      inject: [REDIS_CLIENT, READ_MODEL_VERSION],
      useFactory: (redis: RedisClient, v: Version) => new RedisProjectionWriter(redis, v),
    },
    {
      provide: AdmissionLedger,
      inject: [REDIS_CLIENT, READ_MODEL_VERSION],
      useFactory: (redis: RedisClient, v: Version) =>
        new AdmissionLedger(redis, new AdmissionKeys(v.keys)),
    },
    {
      provide: RedisResync,
      inject: [DataSource, REDIS_CLIENT, READ_MODEL_VERSION, RedisProjectionWriter],
      useFactory: (ds: DataSource, redis: RedisClient, v: Version, w: RedisProjectionWriter) =>
        new RedisResync(ds, redis, v, w),
    },
  ],
  exports: [
    READ_MODEL_VERSION,
    PostgresModelConfigReadModel,
    RedisModelConfigReadModel,
    LiveConfigLookup,
    ChangeProgressReader,
    CounterHistoryReader,
    DeadLetterReader,
    RedisProjectionWriter,
    RedisResync,
    AdmissionLedger,
  ],
})
export class LedgerModule {}
