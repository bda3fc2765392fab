import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention state (issue 9), one row. `boundary`: events whose time is before it are no longer
 * kept (their months are dropped, or about to be) and arrive as `too_old` dead letters; NULL:
 * nothing was ever dropped. `fold_seq`: every event with seq <= it is in the snapshot schema
 * `read_model_snapshot` once that schema's read_model_state.last_seq reaches it; the months
 * before `boundary` are dropped only then.
 * Never edit after merge: add a new migration instead.
 */
export class EventRetention1796207400000 implements MigrationInterface {
  name = 'EventRetention1796207400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_retention (
        id         smallint    PRIMARY KEY CHECK (id = 1),
        boundary   timestamptz NULL,
        fold_seq   bigint      NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO event_retention (id) VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS event_retention');
  }
}
