import { createDataSource } from '@app/database';
import { DataSource } from 'typeorm';
import { TEST_ENV } from './test-env';

/** Direct SQL access to the test database for arranging and asserting. */
export async function openTestDatabase(): Promise<DataSource> {
  const ds = createDataSource({
    url: TEST_ENV.DATABASE_URL,
    poolSize: 2,
    applicationName: 'tests',
  });
  return ds.initialize();
}

/** Empties every table a suite may have written; the schema stays. */
export async function resetDatabase(ds: DataSource): Promise<void> {
  await ds.query(
    `TRUNCATE event_store, event_keys, consumer_positions, model_configs, model_config_counts, usage_counters,
              dead_letters, alert_outbox RESTART IDENTITY`,
  );
  await ds.query(`UPDATE read_model_state SET last_seq = 0, as_of = NULL, config_epoch = 0`);
  await ds.query(`UPDATE event_retention SET boundary = NULL, fold_seq = 0`);
  await ds.query(`DROP SCHEMA IF EXISTS read_model_snapshot CASCADE`);
  await resetVersions(ds);
}

/** Back to version 1 alone and active: drops every other version's schema and row. */
export async function resetVersions(ds: DataSource): Promise<void> {
  const rows: { nspname: string }[] = await ds.query(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read\\_model\\_v%'`,
  );
  for (const r of rows) await ds.query(`DROP SCHEMA ${r.nspname} CASCADE`);
  await ds.query(`DELETE FROM read_model_versions WHERE id <> 1`);
  await ds.query(`UPDATE read_model_versions SET status = 'active' WHERE id = 1`);
}

/** The current-window usage PostgreSQL holds for one budget or rate-limit dimension. */
export async function counterValue(
  ds: DataSource,
  configId: string,
  limitId: string,
  dimension: string,
  windowStart: Date,
): Promise<bigint> {
  const rows: { value: string }[] = await ds.query(
    `SELECT c.value FROM model_configs mc
       CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
       JOIN usage_counters c ON c.counter_key = l->>'counter_key'
      WHERE mc.id = $1 AND l->>'limit_id' = $2 AND l->>'dimension' = $3 AND c.window_start = $4`,
    [configId, limitId, dimension, windowStart.toISOString()],
  );
  return rows.length === 0 ? 0n : BigInt(rows[0].value);
}
