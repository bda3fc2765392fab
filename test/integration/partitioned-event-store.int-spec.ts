import { MIGRATIONS } from '@app/database';
import { readStoredRows } from '@app/ledger';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_ENV } from '../support/test-env';

/**
 * The partitioning migration on a database that already holds events: every row, seq and
 * order kept, the sequence goes on, the keys keep redelivery a no-op. Its own database: the
 * suite's one is already at the newest migration.
 */
describe('partitioned event store migration', () => {
  const url = new URL(TEST_ENV.DATABASE_URL);
  url.pathname = `${url.pathname}_partitioning`;
  const before = MIGRATIONS.findIndex((m) => m.name === 'PartitionedEventStore1796206171440');
  let ds: DataSource;

  async function admin(sql: string): Promise<void> {
    const adminUrl = new URL(url);
    adminUrl.pathname = '/postgres';
    const client = new Client({ connectionString: adminUrl.toString() });
    await client.connect();
    await client.query(sql);
    await client.end();
  }

  async function migrate(migrations: typeof MIGRATIONS): Promise<DataSource> {
    const source = new DataSource({ type: 'postgres', url: url.toString(), migrations });
    await source.initialize();
    await source.runMigrations({ transaction: 'each' });
    return source;
  }

  beforeAll(async () => {
    const name = url.pathname.slice(1);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${name}"`);
    const old = await migrate(MIGRATIONS.slice(0, before));
    // Three months, a gap in seq (a removed event) and rows out of time order.
    await old.query(`
      INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
      SELECT 'src', 'e' || i, 'governance.usage.recorded.v1',
             timestamptz '2026-09-15T00:00:00Z' + make_interval(days => (i * 37) % 70),
             '{}', 't', 0, i
        FROM generate_series(1, 300) AS i`);
    await old.query(`DELETE FROM event_store WHERE event_id = 'e7'`);
    await old.destroy();
    ds = await migrate(MIGRATIONS);
  });

  afterAll(async () => {
    await ds?.destroy();
    await admin(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
  });

  it('keeps every event with its seq, in monthly partitions', async () => {
    const rows: { seq: string; event_id: string; part: string }[] = await ds.query(
      `SELECT seq, event_id, tableoid::regclass::text AS part FROM event_store ORDER BY seq`,
    );
    expect(rows).toHaveLength(299);
    expect(rows.every((r) => r.event_id === `e${r.seq}`)).toBe(true);
    expect(rows.some((r) => r.seq === '7')).toBe(false);
    expect(new Set(rows.map((r) => r.part))).toEqual(
      new Set(['event_store_y2026m09', 'event_store_y2026m10', 'event_store_y2026m11']),
    );
    const [{ n }]: { n: string }[] = await ds.query('SELECT count(*) AS n FROM event_keys');
    expect(Number(n)).toBe(299);
  });

  it('goes on numbering from the old sequence', async () => {
    const [{ seq }]: { seq: string }[] = await ds.query(`
      INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
      VALUES ('src', 'new', 't', now(), '{}', 't', 0, 1) RETURNING seq`);
    expect(seq).toBe('301');
  });

  it('files a month without a partition in the default one and moves it when its partition is made', async () => {
    await ds.query(`
      INSERT INTO event_store (source, event_id, type, time, envelope, topic, partition, kafka_offset)
      VALUES ('src', 'old', 't', '2020-02-10T00:00:00Z', '{}', 't', 0, 2)`);
    const where = async (): Promise<string> => {
      const rows: { p: string }[] = await ds.query(
        `SELECT tableoid::regclass::text AS p FROM event_store WHERE event_id = 'old'`,
      );
      return rows[0].p;
    };
    expect(await where()).toBe('event_store_default');
    // months are UTC: this is 1 March 04:00Z, so February's event stays where it is
    const [{ made }]: { made: string }[] = await ds.query(
      `SELECT ensure_event_store_partition('2020-02-29T23:00:00-05:00') AS made`,
    );
    expect(made).toBe('event_store_y2020m03');
    expect(await where()).toBe('event_store_default');
    await ds.query(`SELECT ensure_event_store_partition('2020-02-01T00:00:00Z')`);
    expect(await where()).toBe('event_store_y2020m02');
  });

  it('gives a replay the rows of a seq range from every partition in seq order, on a connection of its own', async () => {
    const rows = await readStoredRows(ds.manager, 0, 300);

    expect(rows.map((r) => r.seq)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1).filter((seq) => seq !== 7),
    );
    // The read's planner settings ended with its own transaction: nothing leaks into the pool.
    const settings = await Promise.all(
      Array.from({ length: 3 }, () => ds.query(`SELECT current_setting('enable_sort') AS s`)),
    );
    expect(settings.map((r: { s: string }[]) => r[0].s)).toEqual(['on', 'on', 'on']);
  });

  it("reads inside the caller's transaction (the join) without undoing its writes in flight, and leaves its planner settings as they were", async () => {
    const after = await ds.transaction(async (m) => {
      await m.query(`SET LOCAL enable_bitmapscan = off`);
      await m.query(`CREATE TEMP TABLE read_marker (n int) ON COMMIT DROP`);
      // Writes on the same connection while the read runs, as a rebuild's config writes are.
      const writes = (async () => {
        for (let n = 1; n <= 20; n += 1) await m.query(`INSERT INTO read_marker VALUES ($1)`, [n]);
      })();
      const [first, second] = [await readStoredRows(m, 0, 300), await readStoredRows(m, 100, 110)];
      await writes;
      const [state]: { sort: string; bitmap: string; marks: string }[] = await m.query(
        `SELECT current_setting('enable_sort') AS sort,
                current_setting('enable_bitmapscan') AS bitmap,
                (SELECT count(*) FROM read_marker) AS marks`,
      );
      return { rows: first.length, seqs: second.map((r) => r.seq), ...state };
    });

    expect(after).toEqual({
      rows: 299,
      seqs: [101, 102, 103, 104, 105, 106, 107, 108, 109, 110],
      sort: 'on',
      bitmap: 'off',
      marks: '20',
    });
  });
});
