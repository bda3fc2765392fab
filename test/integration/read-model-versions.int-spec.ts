import { createDataSource, runMigrations } from '@app/database';
import { createVersionSchema, dropVersion, VersionRegistry } from '@app/ledger';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../support/database-test-client';
import { TEST_ENV } from '../support/test-env';

const PREFIX = 'ul-test-versions:';

async function tablesIn(ds: DataSource, schema: string): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

describe('Read-model versions: registry, schema per version, drop', () => {
  let ds: DataSource;
  let redis: Redis;
  let registry: VersionRegistry;

  beforeAll(async () => {
    ds = await openTestDatabase();
    redis = new Redis(TEST_ENV.REDIS_URL);
    registry = new VersionRegistry(ds, PREFIX);
  });
  afterAll(async () => {
    await ds.query('DROP SCHEMA IF EXISTS read_model_v7 CASCADE');
    await ds.destroy();
    redis.disconnect();
  });

  it('starts with version 1 active in public', async () => {
    const [v1] = await registry.list();
    expect(v1).toMatchObject({ id: 1, status: 'active', builtFrom: 'live' });
    expect((await registry.active()).tables.schema).toBe('public');
    await expect(
      ds.query(`INSERT INTO read_model_versions (id, status) VALUES (99, 'active')`),
    ).rejects.toThrow(/read_model_versions_one_active/);
  });

  it('creates a version beside the others, with its own live counts, and drops only it', async () => {
    const v7 = registry.version(7);
    const v1 = registry.version(1);
    const epoch = await registry.epoch();
    await registry.register(7, { builtFrom: 'store' });
    expect(await registry.epoch()).toBeGreaterThan(epoch);
    await createVersionSchema(ds, v7);
    expect(await tablesIn(ds, 'read_model_v7')).toEqual([
      'model_config_counts',
      'model_configs',
      'read_model_state',
      'usage_counters',
    ]);
    expect(await ds.query(`SELECT last_seq FROM ${v7.tables.state}`)).toEqual([{ last_seq: '0' }]);
    const publicCounts = await ds.query(`SELECT * FROM model_config_counts ORDER BY 1, 2`);
    await ds.query(
      `INSERT INTO ${v7.tables.configs} (id, model_name, provider, scope, scope_id, scope_name,
         calendar_aligned, definition, limits, config_hash, created_at, updated_at, version,
         changed_seq, search_name)
       VALUES ('c1', 'm', 'openai', 'global', NULL, NULL, false, '{}', '[]', 'h', now(), now(),
               1, 1, 'm')`,
    );
    expect(await ds.query(`SELECT * FROM ${v7.tables.configCounts} ORDER BY 1, 2`)).toEqual([
      { dimension: 'all', value: '', live: '1' },
      { dimension: 'provider', value: 'openai', live: '1' },
      { dimension: 'scope', value: 'global', live: '1' },
    ]);
    expect(await ds.query(`SELECT * FROM model_config_counts ORDER BY 1, 2`)).toEqual(publicCounts);

    await redis.set(`${v7.keys.base}configs`, 'x');
    await redis.set(`${v7.keys.base}adm:holds`, 'x');
    await redis.set(`${v1.keys.base}configs`, 'kept');
    expect(await dropVersion(ds, redis, v7)).toBe(2);
    expect(await tablesIn(ds, 'read_model_v7')).toEqual([]);
    expect(await redis.get(`${v1.keys.base}configs`)).toBe('kept');
    await redis.del(`${v1.keys.base}configs`);
    await ds.query(`DELETE FROM read_model_versions WHERE id = 7`);
  });

  it('drops version 1 as its four tables in public and nothing else', async () => {
    const url = new URL(TEST_ENV.DATABASE_URL);
    url.pathname = `${url.pathname}_drop_v1`;
    await runMigrations(url.toString());
    const other = await createDataSource({
      url: url.toString(),
      poolSize: 1,
      applicationName: 'tests',
    }).initialize();
    try {
      const before = await tablesIn(other, 'public');
      await dropVersion(other, redis, new VersionRegistry(other, PREFIX).version(1));
      const after = await tablesIn(other, 'public');
      expect(before.filter((t) => !after.includes(t))).toEqual([
        'model_config_counts',
        'model_configs',
        'read_model_state',
        'usage_counters',
      ]);
      expect(after).toEqual(
        expect.arrayContaining(['event_store', 'dead_letters', 'alert_outbox']),
      );
    } finally {
      await other.destroy();
      const admin = new URL(TEST_ENV.DATABASE_URL);
      admin.pathname = '/postgres';
      const adminDs = await createDataSource({
        url: admin.toString(),
        poolSize: 1,
        applicationName: 'tests',
      }).initialize();
      await adminDs.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
      await adminDs.destroy();
    }
  });
});
