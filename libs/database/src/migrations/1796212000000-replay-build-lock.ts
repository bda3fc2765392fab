import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who runs the replay build (issue 9). The build holds a session advisory lock for as long as
 * it runs, which is what makes it the only one; this row only names it, so a second build's
 * refusal and `replay status` can say which one runs. A row whose session is gone (a killed
 * build) is stale: the next build replaces it.
 * Never edit after merge: add a new migration instead.
 */
export class ReplayBuildLock1796212000000 implements MigrationInterface {
  name = 'ReplayBuildLock1796212000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replay_build (
        id          smallint    PRIMARY KEY CHECK (id = 1),
        version     integer     NOT NULL,
        pid         integer     NOT NULL,  -- of the build process
        host        text        NOT NULL,
        backend_pid integer     NOT NULL,  -- of its PostgreSQL session (holding the lock)
        started_at  timestamptz NOT NULL DEFAULT now(),
        dry_run     boolean     NOT NULL DEFAULT false
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS replay_build');
  }
}
