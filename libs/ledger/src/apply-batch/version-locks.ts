import { EntityManager } from 'typeorm';
import { projectionLockKey } from '../projection/read-model-state';
import { LOG_LOCK } from '../versions/log-lock';

const SHARED = 'pg_advisory_xact_lock_shared';
const EXCLUSIVE = 'pg_advisory_xact_lock';

/**
 * Takes, in ONE statement, the log lock (shared, when asked) and then the projection lock of
 * each version in the order given (id order: every batch takes them in the same order). A
 * statement evaluates its select list left to right, so the log lock is always first.
 */
export async function lockLogAndVersions(
  m: EntityManager,
  versions: readonly { id: number }[],
  mode: 'shared' | 'exclusive',
  withLogLock: boolean,
): Promise<void> {
  const locks = [
    ...(withLogLock ? [{ fn: SHARED, key: LOG_LOCK }] : []),
    ...versions.map((v) => ({
      fn: mode === 'shared' ? SHARED : EXCLUSIVE,
      key: projectionLockKey(v),
    })),
  ];
  if (locks.length === 0) return;
  await m.query(
    `SELECT ${locks.map((l, i) => `${l.fn}($${i + 1})`).join(', ')}`,
    locks.map((l) => l.key),
  );
}
