import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';

export interface ReadModelState {
  lastSeq: number;
  asOf: Date | null;
  configEpoch: number;
}

type StateRow = { last_seq: string; as_of: Date | null; config_epoch: string };

// Any constant works; it only has to be the same for every projector instance. Each read-model
// version has its own lock: building version n + 1 never waits for the projection into n.
const PROJECTION_LOCK_BASE = 7_461_332_000;

/**
 * Usage batches share the projection lock; config batches take it alone. Released at commit.
 * This keeps the config cache of every instance exact and makes sequence order a valid replay
 * order: no usage event commits around a config change.
 */
export async function takeProjectionLock(
  m: EntityManager,
  version: { id: number },
  mode: 'shared' | 'exclusive',
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await m.query(`SELECT ${fn}($1)`, [projectionLockKey(version)]);
}

/** The advisory lock key of one version's projection lock. */
export function projectionLockKey(version: { id: number }): number {
  return PROJECTION_LOCK_BASE + version.id;
}

export async function readReadModelState(
  m: EntityManager,
  t: ReadModelTables,
): Promise<ReadModelState> {
  const rows: StateRow[] = await m.query(
    `SELECT last_seq, as_of, config_epoch FROM ${t.state} WHERE id = 1`,
  );
  return toState(rows[0]);
}

/**
 * Moves the high-water marks forward (never back: batches commit concurrently). The row is
 * locked only from here to the commit, at the very end of a batch.
 */
export async function advanceReadModelState(
  m: EntityManager,
  t: ReadModelTables,
  batch: { lastSeq: number; asOf: Date | null; configChanges: number },
): Promise<ReadModelState> {
  const rows: StateRow[] = await m.query(
    `WITH advanced AS (
       UPDATE ${t.state}
          SET last_seq = GREATEST(last_seq, $1),
              as_of = GREATEST(as_of, $2::timestamptz),
              config_epoch = config_epoch + $3,
              updated_at = now()
        WHERE id = 1
        RETURNING last_seq, as_of, config_epoch)
     SELECT * FROM advanced`,
    [batch.lastSeq, batch.asOf?.toISOString() ?? null, batch.configChanges],
  );
  return toState(rows[0]);
}

/**
 * The read_model_state of several versions and the registry epoch, in one statement (the
 * live applier reads them at the start of every batch).
 */
export async function readReadModelStates(
  m: EntityManager,
  versions: readonly { id: number; tables: ReadModelTables }[],
): Promise<{ registryEpoch: number; states: Map<number, ReadModelState> }> {
  const rows: (StateRow & { registry_epoch: string; version_id: number })[] = await m.query(
    versions
      .map(
        (v) =>
          `SELECT (SELECT epoch FROM public.read_model_registry WHERE id = 1) AS registry_epoch,
                  ${v.id} AS version_id, last_seq, as_of, config_epoch
             FROM ${v.tables.state} WHERE id = 1`,
      )
      .join(' UNION ALL '),
  );
  const states = new Map(rows.map((r) => [Number(r.version_id), toState(r)]));
  return { registryEpoch: Number(rows[0].registry_epoch), states };
}

function toState(r: StateRow): ReadModelState {
  return { lastSeq: Number(r.last_seq), asOf: r.as_of, configEpoch: Number(r.config_epoch) };
}
