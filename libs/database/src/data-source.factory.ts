import { DataSource } from 'typeorm';
import { InitialSchema1764230400000 } from './migrations/1764230400000-initial-schema';
import { DeadLettersUniqueSource1796164817443 } from './migrations/1796164817443-dead-letters-unique-source';
import { PagedListing1796164965203 } from './migrations/1796164965203-paged-listing';
import { AlertOutbox1796167219031 } from './migrations/1796167219031-alert-outbox';
import { ReadModelVersions1796206150509 } from './migrations/1796206150509-read-model-versions';
import { PartitionedEventStore1796206171440 } from './migrations/1796206171440-partitioned-event-store';
import { EventRetention1796207400000 } from './migrations/1796207400000-event-retention';
import { ReplayBuildLock1796212000000 } from './migrations/1796212000000-replay-build-lock';

export const MIGRATIONS = [
  InitialSchema1764230400000,
  DeadLettersUniqueSource1796164817443,
  PagedListing1796164965203,
  AlertOutbox1796167219031,
  ReadModelVersions1796206150509,
  PartitionedEventStore1796206171440,
  EventRetention1796207400000,
  ReplayBuildLock1796212000000,
];

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  /** bounds every statement so an outage surfaces as an error, never as a hang */
  statementTimeoutMs?: number;
  /** bounds getting a connection when the server is unreachable */
  connectTimeoutMs?: number;
  applicationName: string;
}

/** Schema changes only through committed migrations: `synchronize` stays off. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    entities: [],
    poolSize: options.poolSize,
    applicationName: options.applicationName,
    extra: {
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    },
  });
}
