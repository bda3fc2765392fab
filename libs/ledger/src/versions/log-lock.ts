import { EntityManager } from 'typeorm';

/**
 * The log lock: one advisory lock over appending to the event store. Usage batches commit
 * concurrently, so sequence numbers can commit out of order (one batch holds 100-110 uncommitted
 * while another's 111-120 commit). Every live batch takes it shared FIRST, before appending; a
 * reader that must never move past an uncommitted seq (a replay build reading its watermark, the
 * build's join) takes it exclusive: while it holds it nothing is in flight, so `max(seq)` is
 * safe, and a version it marks 'following' is seen by every batch that appends afterwards.
 *
 * Take it in its own statement, before reading the registry: a statement's snapshot is taken
 * when it starts, so a read in the same statement could predate a join that committed while the
 * lock was awaited.
 */
export const LOG_LOCK = 7_461_331_000;

export type LogLockMode = 'shared' | 'exclusive';

/** Transaction-scoped: released at commit or rollback. */
export async function takeLogLock(
  m: Pick<EntityManager, 'query'>,
  mode: LogLockMode,
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await m.query(`SELECT ${fn}($1)`, [LOG_LOCK]);
}
