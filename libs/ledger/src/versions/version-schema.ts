import { RedisClient } from '@app/redis';
import { Cluster } from 'ioredis';
import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { ReadModelVersion } from '../read-model-version/read-model-version';

type Queryable = Pick<EntityManager, 'query'>;

/** The tables of one read-model version, in the order they are created. */
const READ_MODEL_TABLES = [
  'model_configs',
  'usage_counters',
  'read_model_state',
  'model_config_counts',
] as const;

/**
 * Creates the empty PostgreSQL read models of version n > 1 in schema `read_model_v<n>`: each
 * table a copy of the active version's (columns, collations, defaults, checks, indexes: the
 * active one, since version 1's tables in public are gone once it is pruned), the live-count
 * trigger (its function writes to the schema of the table that fired it) and the
 * read_model_state row at seq 0. Version 1 (schema public) exists from the migrations.
 */
export async function createVersionSchema(q: Queryable, version: ReadModelVersion): Promise<void> {
  if (version.id === 1) throw new Error('Read-model version 1 lives in public: nothing to create');
  await createReadModelSchema(q, version.tables, await activeSchema(q));
}

/** The schema of the active version: what new read-model tables are copied from. */
export async function activeSchema(q: Queryable): Promise<string> {
  const [active]: { id: number }[] = await q.query(
    `SELECT id FROM public.read_model_versions WHERE status = 'active'`,
  );
  return ReadModelVersion.schemaOf(active?.id ?? 1);
}

/**
 * The read-model tables in any schema but public (a version's, or the retention snapshot),
 * copied from those in `template` (the active version's schema).
 */
export async function createReadModelSchema(
  q: Queryable,
  t: ReadModelTables,
  template: string,
): Promise<void> {
  if (t.schema === 'public') throw new Error('The public read models exist from the migrations');
  await q.query(`CREATE SCHEMA ${t.schema}`);
  for (const table of READ_MODEL_TABLES) {
    await q.query(`CREATE TABLE ${t.schema}.${table} (LIKE ${template}.${table} INCLUDING ALL)`);
  }
  await q.query(`
    CREATE TRIGGER model_configs_counts AFTER INSERT OR UPDATE OR DELETE ON ${t.configs}
      FOR EACH ROW EXECUTE FUNCTION public.count_live_model_configs()`);
  await q.query(`INSERT INTO ${t.state} (id, last_seq) VALUES (1, 0)`);
}

/**
 * Removes a version's read models: its PostgreSQL tables (version 1: ONLY its four tables in
 * public, never the event store, positions, dead letters or outbox) and every Redis key under
 * its hash tag, admission holds included. Registry bookkeeping is the caller's (`prune`).
 * Returns how many Redis keys were deleted.
 */
export async function dropVersion(
  q: Queryable,
  redis: RedisClient,
  version: ReadModelVersion,
): Promise<number> {
  const t = version.tables;
  if (version.id === 1) {
    await q.query(`DROP TABLE IF EXISTS ${READ_MODEL_TABLES.map((n) => `public.${n}`).join(', ')}`);
  } else {
    await q.query(`DROP SCHEMA IF EXISTS ${t.schema} CASCADE`);
  }
  return deleteKeys(redis, version.keys.pattern);
}

/** SCAN + UNLINK on every master (a Cluster's SCAN covers one node only). */
export async function deleteKeys(redis: RedisClient, pattern: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await node.unlink(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}
