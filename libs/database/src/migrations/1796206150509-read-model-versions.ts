import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry of read-model versions (issue 9). Version 1 is where the read models have always
 * been (schema public) and starts active; a replay builds n + 1 beside it ('building'), the live
 * projector then keeps it current ('following') until `replay switch` makes it 'active' (the old
 * one becomes 'following', so `replay rollback` is the same flip back) and `replay prune` retires
 * it. Exactly one active version: a partial unique index, not a convention.
 * Never edit after merge: add a new migration instead.
 */
export class ReadModelVersions1796206150509 implements MigrationInterface {
  name = 'ReadModelVersions1796206150509';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_model_versions (
        id              integer     PRIMARY KEY CHECK (id >= 1),
        status          text        NOT NULL
                        CHECK (status IN ('building', 'following', 'active', 'retired')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        built_from      text        NULL,     -- 'live', 'store', 'kafka', ...
        scope           text[]      NULL,     -- config ids of a scoped build; NULL: every config
        redis_ready_at  timestamptz NULL,     -- its Redis projection is complete (switchable)
        activated_at    timestamptz NULL,     -- last time it became active
        deactivated_at  timestamptz NULL,     -- last time it stopped being active
        retired_at      timestamptz NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX read_model_versions_one_active ON read_model_versions ((true))
         WHERE status = 'active'`,
    );
    // Every registry change bumps `epoch`: readers that cache the registry re-read it only
    // when this one-row counter moved.
    await q.query(`
      CREATE TABLE read_model_registry (
        id    smallint PRIMARY KEY CHECK (id = 1),
        epoch bigint   NOT NULL
      )`);
    await q.query(`INSERT INTO read_model_registry (id, epoch) VALUES (1, 1)`);
    await q.query(`
      CREATE FUNCTION bump_read_model_registry() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE public.read_model_registry SET epoch = epoch + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER read_model_versions_epoch
        AFTER INSERT OR UPDATE OR DELETE ON read_model_versions
        FOR EACH STATEMENT EXECUTE FUNCTION bump_read_model_registry()`);
    await q.query(`
      INSERT INTO read_model_versions (id, status, built_from, redis_ready_at, activated_at)
      VALUES (1, 'active', 'live', now(), now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS read_model_versions');
    await q.query('DROP FUNCTION IF EXISTS bump_read_model_registry()');
    await q.query('DROP TABLE IF EXISTS read_model_registry');
  }
}
