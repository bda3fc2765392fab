import { MigrationInterface, QueryRunner } from 'typeorm';
// Relative, not @app/governance: migrations also run from jest's globalSetup, which has no
// path aliases. The folded names must be the very ones the projector writes.
import { foldSearchText } from '../../../governance/src/search/fold-search-text';

/**
 * Paging inside PostgreSQL (issue 8): the listing's collation is "C" (code-point order, the
 * same as Redis and the reference), `search_name` holds the folded model name that `search`
 * matches byte for byte (pg_trgm serves it), one index per filter in listing order, and live
 * counts per filter value kept by a trigger so `total_count` never counts rows.
 * Never edit after merge: add a new migration instead.
 */
export class PagedListing1796164965203 implements MigrationInterface {
  name = 'PagedListing1796164965203';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('DROP INDEX model_configs_listing');
    await q.query('ALTER TABLE model_configs ALTER COLUMN id TYPE text COLLATE "C"');
    await q.query('ALTER TABLE model_configs ADD COLUMN search_name text COLLATE "C"');
    const rows = (await q.query('SELECT id, model_name FROM model_configs')) as {
      id: string;
      model_name: string;
    }[];
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await q.query(
        `UPDATE model_configs mc SET search_name = x.s
           FROM unnest($1::text[], $2::text[]) AS x(id, s) WHERE mc.id = x.id`,
        [chunk.map((r) => r.id), chunk.map((r) => foldSearchText(r.model_name))],
      );
    }
    await q.query('ALTER TABLE model_configs ALTER COLUMN search_name SET NOT NULL');
    for (const [name, column] of [
      ['listing', null],
      ['by_scope', 'scope'],
      ['by_scope_id', 'scope_id'],
      ['by_provider', 'provider'],
    ] as const) {
      await q.query(
        `CREATE INDEX model_configs_${name} ON model_configs
           (${column ? `${column}, ` : ''}created_at DESC, id DESC) WHERE deleted_at IS NULL`,
      );
    }
    await q.query(
      `CREATE INDEX model_configs_search ON model_configs USING gin (search_name gin_trgm_ops)
         WHERE deleted_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE model_config_counts (
        dimension text   NOT NULL, -- all, scope, scope_id, provider
        value     text   COLLATE "C" NOT NULL,
        live      bigint NOT NULL,
        PRIMARY KEY (dimension, value)
      )`);
    // A trigger, not the projector: whoever changes model_configs, the counts stay exact.
    await q.query(`
      CREATE FUNCTION count_live_model_configs() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_live boolean := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL;
        is_live  boolean := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL;
        bump     text := format(
          'INSERT INTO %I.model_config_counts AS c (dimension, value, live)
           SELECT d, v, $1 FROM unnest($2::text[], $3::text[]) AS x(d, v) WHERE v IS NOT NULL
           ON CONFLICT (dimension, value) DO UPDATE SET live = c.live + excluded.live',
          TG_TABLE_SCHEMA);
        dims     text[] := ARRAY['all', 'scope', 'scope_id', 'provider'];
      BEGIN
        IF was_live AND is_live AND OLD.scope = NEW.scope
           AND OLD.scope_id IS NOT DISTINCT FROM NEW.scope_id
           AND OLD.provider IS NOT DISTINCT FROM NEW.provider THEN
          RETURN NULL;
        END IF;
        IF was_live THEN
          EXECUTE bump USING -1, dims, ARRAY['', OLD.scope, OLD.scope_id, OLD.provider];
        END IF;
        IF is_live THEN
          EXECUTE bump USING 1, dims, ARRAY['', NEW.scope, NEW.scope_id, NEW.provider];
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER model_configs_counts AFTER INSERT OR UPDATE OR DELETE ON model_configs
        FOR EACH ROW EXECUTE FUNCTION count_live_model_configs()`);
    await q.query(`
      INSERT INTO model_config_counts (dimension, value, live)
      SELECT d, v, count(*) FROM model_configs
       CROSS JOIN LATERAL (VALUES ('all', ''), ('scope', scope), ('scope_id', scope_id),
                                  ('provider', provider)) AS x(d, v)
       WHERE deleted_at IS NULL AND v IS NOT NULL
       GROUP BY d, v`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER model_configs_counts ON model_configs');
    await q.query('DROP FUNCTION count_live_model_configs()');
    await q.query('DROP TABLE model_config_counts');
    for (const name of ['listing', 'by_scope', 'by_scope_id', 'by_provider', 'search']) {
      await q.query(`DROP INDEX model_configs_${name}`);
    }
    await q.query('ALTER TABLE model_configs DROP COLUMN search_name');
    await q.query(`
      CREATE INDEX model_configs_listing ON model_configs (created_at DESC, id DESC)
        WHERE deleted_at IS NULL`);
  }
}
