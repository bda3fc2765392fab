import { EntityManager } from 'typeorm';
import { readReadModelState } from '../projection/read-model-state';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { activeSchema, createReadModelSchema } from '../versions/version-schema';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The read models after every event with seq <= its read_model_state.last_seq: what the dropped
 * months of the event store folded into. Built by replaying the log (never by copying the live
 * tables, which move meanwhile), so it is exactly what a replay from seq 0 would give there.
 */
export const SNAPSHOT_TABLES = new ReadModelTables('read_model_snapshot');

/**
 * Held (transaction-scoped) while the retention job drops months, and while a build takes the
 * snapshot as its start: a build either starts from a snapshot that covers every dropped event,
 * or is seen by the job, which then drops nothing below the build's checkpoint.
 */
export const SNAPSHOT_LOCK = 7_461_333_000;

export async function takeSnapshotLock(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [SNAPSHOT_LOCK]);
}

export async function ensureSnapshotSchema(q: Queryable): Promise<void> {
  const rows: { found: boolean }[] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [
    SNAPSHOT_TABLES.state,
  ]);
  if (!rows[0].found) await createReadModelSchema(q, SNAPSHOT_TABLES, await activeSchema(q));
}

/** How far the snapshot is (0: no snapshot, or an empty one). */
export async function snapshotSeq(q: EntityManager): Promise<number> {
  const rows: { found: boolean }[] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [
    SNAPSHOT_TABLES.state,
  ]);
  if (!rows[0].found) return 0;
  return (await readReadModelState(q, SNAPSHOT_TABLES)).lastSeq;
}

/**
 * The start of a rebuild into the empty read models `target`: the newest snapshot's tables
 * copied in (a scoped build: only those configs and their counters), its position as the
 * target's checkpoint. Returns that position (0: no snapshot; replay from the start of the
 * log). Call it in the transaction that registers the build.
 */
export async function startFromSnapshot(
  m: EntityManager,
  target: ReadModelTables,
  scope: readonly string[] | null = null,
): Promise<number> {
  await takeSnapshotLock(m);
  const at = await snapshotSeq(m);
  if (at === 0) return 0;
  const current = await readReadModelState(m, target);
  if (current.lastSeq !== 0) {
    throw new Error(
      `${target.schema} is not empty (at seq ${current.lastSeq}): no snapshot copied`,
    );
  }
  const s = SNAPSHOT_TABLES;
  const inScope = scope === null ? 'true' : 'id = ANY($1)';
  const params = scope === null ? [] : [scope];
  // The count trigger of the target fills its model_config_counts from the inserted rows.
  await m.query(
    `INSERT INTO ${target.configs} SELECT * FROM ${s.configs} WHERE ${inScope}`,
    params,
  );
  await m.query(
    scope === null
      ? `INSERT INTO ${target.counters} SELECT * FROM ${s.counters}`
      : `INSERT INTO ${target.counters} SELECT * FROM ${s.counters} WHERE counter_key IN (
           SELECT l->>'counter_key' FROM ${s.configs} c CROSS JOIN jsonb_array_elements(c.limits) l
            WHERE c.id = ANY($1))`,
    params,
  );
  await m.query(
    `UPDATE ${target.state} t
        SET last_seq = s.last_seq, as_of = s.as_of, config_epoch = s.config_epoch,
            updated_at = now()
       FROM ${s.state} s WHERE t.id = 1 AND s.id = 1`,
  );
  return at;
}
