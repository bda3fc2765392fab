import { hostname } from 'os';
import { DataSource, QueryRunner } from 'typeorm';

// Any constant works; it only has to be the same for every build process.
const BUILD_LOCK = 7_461_330_000;

/** The build that holds the lock, as its row names it. */
export interface RunningBuild {
  version: number;
  pid: number;
  host: string;
  startedAt: Date;
  dryRun: boolean;
}

export class BuildRefusedError extends Error {
  constructor(readonly running: RunningBuild | null) {
    super(
      running
        ? `another replay build is running: version ${running.version}${running.dryRun ? ' (dry run)' : ''}, pid ${running.pid} on ${running.host}, started ${running.startedAt.toISOString()}`
        : 'another replay build is running (it has not named itself yet)',
    );
  }
}

/**
 * Only one replay build at a time: a session advisory lock held on a connection of its own
 * for the whole build (PostgreSQL drops it with the session, so a killed build never leaves
 * it behind), and the public.replay_build row naming the holder.
 */
export class BuildLock {
  private constructor(private readonly runner: QueryRunner) {}

  static async acquire(ds: DataSource): Promise<BuildLock> {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        BUILD_LOCK,
      ])) as { locked: boolean }[];
      if (!rows[0].locked) throw new BuildRefusedError(await runningBuild(ds));
      return new BuildLock(runner);
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  /** Names this process as the running build of `version`. */
  async name(version: number, dryRun: boolean): Promise<void> {
    await this.runner.query(
      `INSERT INTO replay_build (id, version, pid, host, backend_pid, started_at, dry_run)
       VALUES (1, $1, $2, $3, pg_backend_pid(), now(), $4)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, pid = excluded.pid,
         host = excluded.host, backend_pid = excluded.backend_pid,
         started_at = excluded.started_at, dry_run = excluded.dry_run`,
      [version, process.pid, hostname(), dryRun],
    );
  }

  async release(): Promise<void> {
    try {
      await this.runner.query('DELETE FROM replay_build WHERE backend_pid = pg_backend_pid()');
      await this.runner.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK]);
    } finally {
      await this.runner.release();
    }
  }
}

/** The running build, or null when none runs (a row left by a killed build does not count). */
export async function runningBuild(ds: DataSource): Promise<RunningBuild | null> {
  const rows: {
    version: number;
    pid: number;
    host: string;
    started_at: Date;
    dry_run: boolean;
  }[] = await ds.query(
    `SELECT b.version, b.pid, b.host, b.started_at, b.dry_run
       FROM replay_build b
      WHERE EXISTS (SELECT 1 FROM pg_locks l
                     WHERE l.locktype = 'advisory' AND l.granted AND l.pid = b.backend_pid
                       AND ((l.classid::bigint << 32) | l.objid::bigint) = $1)`,
    [BUILD_LOCK],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    version: Number(r.version),
    pid: Number(r.pid),
    host: r.host,
    startedAt: r.started_at,
    dryRun: r.dry_run,
  };
}
