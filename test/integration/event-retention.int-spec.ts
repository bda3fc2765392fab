import { LedgerEvent } from '@app/contracts';
import {
  createVersionSchema,
  EventRetention,
  headSeq,
  ReadModelTables,
  ReadModelVersion,
  replayEvents,
  SNAPSHOT_TABLES,
  startFromSnapshot,
} from '@app/ledger';
import { aConfig, aUsage, usd } from '../support/event-builders';
import { LedgerMedium, upserted, used } from '../support/ledger-medium';

const DAY = 86_400_000;
const NOW = new Date('2026-12-02T10:00:00Z');
const at = (iso: string) => new Date(iso);

/**
 * Retention on the real PostgreSQL, driven by the batch applier as the projector drives it:
 * old months folded into the snapshot and dropped, a rebuild from the snapshot and the tail
 * equal to the live read models, dedup within the retention, too_old before it.
 */
describe('event retention', () => {
  const ledger = new LedgerMedium();
  const rebuilt = new ReadModelVersion(77, 'ul-test:');
  let retention: EventRetention;
  beforeAll(async () => {
    await ledger.open();
    await ledger.clear();
    retention = new EventRetention(ledger.db, 'ul-test:');
    await ledger.db.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT_TABLES.schema} CASCADE`);
    await ledger.db.query(`DROP SCHEMA IF EXISTS ${rebuilt.tables.schema} CASCADE`);
  });
  afterAll(async () => {
    await ledger.db.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT_TABLES.schema} CASCADE`);
    await ledger.db.query(`DROP SCHEMA IF EXISTS ${rebuilt.tables.schema} CASCADE`);
    await ledger.clear();
    await ledger.close();
  });

  const config = aConfig({ createdAt: at('2026-08-01T00:00:00Z') });
  const usage = (iso: string, cost = '0.25'): LedgerEvent =>
    used(aUsage({ time: at(iso), cost: usd(cost) }));
  const upsert = (time: string): LedgerEvent => ({ ...upserted(config), time: at(time) });
  const kept = usage('2026-11-10T12:00:00Z', '1');

  async function rows(t: ReadModelTables): Promise<unknown[]> {
    return [
      ...(await ledger.db.query(
        `SELECT id, definition, version, deleted_at FROM ${t.configs} ORDER BY id`,
      )),
      ...(await ledger.db.query(
        `SELECT counter_key, window_start, value FROM ${t.counters} ORDER BY counter_key, window_start`,
      )),
    ] as unknown[];
  }

  it('folds the months older than the retention into the snapshot and drops them', async () => {
    // The config and early usage in August; a November event before September's, so the
    // snapshot's seq holds an event that stays in the store.
    await ledger.apply([upsert('2026-08-02T00:00:00Z')]);
    await ledger.apply([usage('2026-08-03T10:00:00Z'), usage('2026-08-20T10:00:00Z')], 'u');
    await ledger.apply([kept], 'u');
    await ledger.apply([usage('2026-09-05T10:00:00Z'), usage('2026-09-30T23:59:59Z')], 'u');
    await ledger.apply([usage('2026-12-01T08:00:00Z', '2')], 'u');
    const [{ s }]: { s: string }[] = await ledger.db.query(
      `SELECT max(seq) AS s FROM event_store WHERE time < '2026-10-01T00:00:00Z'`,
    );

    const outcome = await retention.run(45 * DAY, NOW);

    expect(outcome).toMatchObject({
      ran: true,
      boundary: at('2026-10-01T00:00:00Z'),
      snapshotSeq: Number(s),
      droppedPartitions: ['event_store_y2026m08', 'event_store_y2026m09'],
      heldBack: null,
    });
    const left: { time: Date }[] = await ledger.db.query(
      'SELECT time FROM event_store ORDER BY seq',
    );
    expect(left.map((r) => r.time)).toEqual([
      at('2026-11-10T12:00:00Z'),
      at('2026-12-01T08:00:00Z'),
    ]);
    const [{ keys }]: { keys: string }[] = await ledger.db.query(
      'SELECT count(*) AS keys FROM event_keys',
    );
    expect(Number(keys)).toBe(2);
  });

  it('rebuilds from the snapshot and the tail to exactly the live read models', async () => {
    await createVersionSchema(ledger.db, rebuilt);
    const from = await ledger.db.transaction((m) => startFromSnapshot(m, rebuilt.tables));
    const head = await headSeq(ledger.db.manager);
    const replayed = await replayEvents(ledger.db, rebuilt.tables, { untilSeq: head });

    expect(from).toBeGreaterThan(0);
    expect(replayed.events).toBe(1); // December's: November's seq is below the snapshot's
    expect(await rows(rebuilt.tables)).toEqual(await rows(ledger.version.tables));
    const counts = `SELECT dimension, value, live FROM %s ORDER BY dimension, value`;
    expect(await ledger.db.query(counts.replace('%s', rebuilt.tables.configCounts))).toEqual(
      await ledger.db.query(counts.replace('%s', ledger.version.tables.configCounts)),
    );
  });

  it('still drops a redelivered event within the retention and refuses one before it as too_old', async () => {
    const before = await rows(ledger.version.tables);
    const redelivered = await ledger.apply([kept], 'u');
    const old = usage('2026-09-30T23:59:59.999Z');
    const refused = await ledger.apply([old, usage('2026-10-01T00:00:00Z', '3')], 'u');

    expect(redelivered).toMatchObject({ applied: 0, duplicates: 1 });
    expect(refused.applied).toBe(1);
    expect(refused.deadLetters.map((d) => [d.identity?.id, d.reason.code])).toEqual([
      [old.id, 'too_old'],
    ]);
    expect(await rows(ledger.version.tables)).not.toEqual(before); // October's event counted
  });

  it('folds again when the retention moves on, from the previous snapshot', async () => {
    const outcome = await retention.run(45 * DAY, new Date('2026-12-20T00:00:00Z'));
    const head = await headSeq(ledger.db.manager);

    expect(outcome).toMatchObject({
      boundary: at('2026-11-01T00:00:00Z'),
      droppedPartitions: ['event_store_y2026m10'],
    });
    const left: { n: string }[] = await ledger.db.query('SELECT count(*) AS n FROM event_store');
    expect(Number(left[0].n)).toBe(2); // November's and December's
    // A snapshot up to the October event's seq (the newest below the boundary) then the tail.
    await ledger.db.query(`DROP SCHEMA ${rebuilt.tables.schema} CASCADE`);
    await createVersionSchema(ledger.db, rebuilt);
    await ledger.db.transaction((m) => startFromSnapshot(m, rebuilt.tables));
    await replayEvents(ledger.db, rebuilt.tables, { untilSeq: head });
    expect(await rows(rebuilt.tables)).toEqual(await rows(ledger.version.tables));
  });
});
