import { RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { loadLiveConfigs } from '../../config-index/load-config-index';
import { readReadModelState } from '../../projection/read-model-state';
import { VersionRecord, VersionRegistry } from '../../versions/version-registry';
import { compareRedis, RedisComparison } from './compare-redis';
import { compareTables, TableComparison } from './compare-tables';

/** The two versions could not be compared (verify exits 2). */
export class CannotCompareError extends Error {}

export interface VersionSide {
  id: number;
  status: string;
  lastSeq: number;
}

export interface VerifyReport {
  active: VersionSide;
  candidate: VersionSide & { scope: string[] | null };
  tables: TableComparison;
  redis: RedisComparison;
  /** every difference found, PostgreSQL and Redis */
  differences: number;
}

/**
 * `replay verify`: compares version `id` (default: the newest version that is not active)
 * with the active one, PostgreSQL tables in one snapshot (a followed version is applied in the
 * same transaction as the active one, so any snapshot holds both at the same events), then
 * their Redis projections.
 */
export async function verifyVersions(
  ds: DataSource,
  redis: RedisClient,
  registry: VersionRegistry,
  options: { version?: number; now?: Date } = {},
): Promise<VerifyReport> {
  const versions = await registry.list();
  const activeRecord = versions.find((v) => v.status === 'active');
  if (!activeRecord) throw new CannotCompareError('no active read-model version in the registry');
  const record = pick(versions, activeRecord, options.version);
  const active = registry.version(activeRecord.id);
  const candidate = registry.version(record.id);
  const { tables, sides, configs } = await ds.transaction('REPEATABLE READ', async (m) => {
    const [a, b] = [
      await readReadModelState(m, active.tables),
      await readReadModelState(m, candidate.tables),
    ];
    return {
      sides: [a.lastSeq, b.lastSeq],
      tables: await compareTables(m, active, candidate, record.scope),
      configs: [
        ...(await loadLiveConfigs(m, active.tables)),
        ...(await loadLiveConfigs(m, candidate.tables)),
      ],
    };
  });
  const redisResult = await compareRedis(
    redis,
    active,
    candidate,
    configs,
    record.scope,
    options.now ?? new Date(),
  );
  return {
    active: { id: active.id, status: activeRecord.status, lastSeq: sides[0] },
    candidate: { id: record.id, status: record.status, lastSeq: sides[1], scope: record.scope },
    tables,
    redis: redisResult,
    differences:
      tables.configs.different +
      tables.counters.different +
      tables.counts.different +
      redisResult.different,
  };
}

function pick(
  versions: readonly VersionRecord[],
  active: VersionRecord,
  id: number | undefined,
): VersionRecord {
  const record =
    id === undefined
      ? [...versions].reverse().find((v) => v.id !== active.id && v.status !== 'retired')
      : versions.find((v) => v.id === id);
  if (!record) {
    throw new CannotCompareError(
      id === undefined
        ? 'no version to compare: only the active one exists (run replay build)'
        : `read-model version ${id} does not exist`,
    );
  }
  if (record.id === active.id) {
    throw new CannotCompareError(
      `version ${record.id} is the active one: nothing to compare it with`,
    );
  }
  if (record.status === 'building') {
    throw new CannotCompareError(
      `version ${record.id} is still building: it is not level with the active one (run replay build to finish it)`,
    );
  }
  if (record.status === 'retired') throw new CannotCompareError(`version ${record.id} is retired`);
  if (record.redisReadyAt === null) {
    throw new CannotCompareError(`version ${record.id} has no complete Redis projection yet`);
  }
  return record;
}
