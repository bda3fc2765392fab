import { Metrics } from '@app/observability';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { jsonLine, runReplay } from '../support/replay-cli';
import { clearTestRedis } from '../support/test-read-model';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const DAY = 86_400_000;

/** The first instant of the UTC month `back` months before the current one. */
function monthStart(back: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
}

/**
 * Retention on the real stack: events with old times through Kafka, the projector's retention
 * job folds the months older than EVENT_RETENTION into the snapshot and drops them; then
 * `replay build` starts from that snapshot, replays the tail, and `replay verify` finds no
 * difference with the live read models. Dedup within the retention still holds, and an event
 * before the dropped months is dead-lettered too_old.
 */
describe('retention with snapshots, then a rebuild', () => {
  const suite = new WriteSideSuite('retention-replay', 2);
  // Three and two months ago: dropped with a 31-day retention. Last month and this: kept.
  const old = [monthStart(3), monthStart(2)];
  const lastMonth = monthStart(1);
  const config = aConfig({ createdAt: new Date(old[0].getTime() + DAY) });
  const at = (month: Date, i: number) => new Date(month.getTime() + ((i * 7919) % 20) * DAY + i);
  const usage = (month: Date, i: number, cost = '0.01') =>
    usageRecorded(aUsage({ time: at(month, i), cost: usd(cost), totalTokens: 10 + i }));
  // This month's, in the past (not future_time).
  const thisMonth = (i: number) =>
    usageRecorded(
      aUsage({
        time: new Date(Math.max(monthStart(0).getTime(), Date.now() - 60_000 - i * 1000)),
        cost: usd('0.01'),
      }),
    );
  const keptEvent = usage(lastMonth, 999, '1');
  const keptTime = at(lastMonth, 999);
  let usageRecords = 0;

  const count = async (sql: string): Promise<number> => {
    const [{ n }]: { n: string }[] = await suite.db.query(sql);
    return Number(n);
  };

  beforeAll(async () => {
    await suite.setUp(false);
    // An earlier suite's Redis meta would be ahead of this fresh database and never match it.
    await clearTestRedis(suite.redis);
    await suite.startProjector({ EVENT_RETENTION: 'forever' });
    await suite.kafka.sendEvents(suite.topics.config, [
      configUpserted(config, new Date(old[0].getTime() + DAY)),
    ]);
    await suite.eventsApplied(1);
    // Old and kept months interleaved in the log: the snapshot's seq is above kept events.
    const events = [
      ...Array.from({ length: 40 }, (_, i) => usage(old[0], i)),
      keptEvent,
      ...Array.from({ length: 40 }, (_, i) => usage(lastMonth, i)),
      ...Array.from({ length: 40 }, (_, i) => usage(old[1], i)),
      ...Array.from({ length: 40 }, (_, i) => thisMonth(i)),
    ];
    await suite.kafka.sendEvents(suite.topics.usage, events);
    usageRecords = events.length;
    await suite.eventsApplied(1 + usageRecords);
    await suite.stopProjector();
  }, 120_000);
  afterAll(() => suite.tearDown());

  it('folds the months older than the retention into the snapshot and drops them', async () => {
    const foldSeq = await count(
      `SELECT max(seq) AS n FROM event_store WHERE time < '${lastMonth.toISOString()}'`,
    );
    // Every month before last month is entirely older than this; last month is not.
    const retention = Math.floor((Date.now() - lastMonth.getTime()) / 1000) - 3600;
    await suite.startProjector({
      EVENT_RETENTION: `${retention}s`,
      EVENT_RETENTION_INTERVAL: '300ms',
    });

    await waitFor('the old months dropped', async () => {
      const [row]: { boundary: Date | null; old: string }[] = await suite.db.query(
        `SELECT boundary, (SELECT count(*) FROM event_store WHERE time < $1) AS old
           FROM event_retention`,
        [lastMonth.toISOString()],
      );
      return row.boundary !== null && row.old === '0';
    });
    const partitions: { name: string }[] = await suite.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'event_store'::regclass AND c.relname < $1`,
      [
        `event_store_y${lastMonth.getUTCFullYear()}m${String(lastMonth.getUTCMonth() + 1).padStart(2, '0')}`,
      ],
    );
    expect(partitions.map((p) => p.name)).toEqual(['event_store_default']);
    const [state]: { boundary: Date; fold_seq: string }[] = await suite.db.query(
      'SELECT boundary, fold_seq FROM event_retention',
    );
    expect(state.boundary).toEqual(lastMonth);
    expect(Number(state.fold_seq)).toBe(foldSeq);
    expect(await count('SELECT last_seq AS n FROM read_model_snapshot.read_model_state')).toBe(
      foldSeq,
    );
    expect(await count('SELECT count(*) AS n FROM event_store')).toBe(81);
    expect(await count('SELECT count(*) AS n FROM event_keys')).toBe(81);

    // What operators watch (/metrics): the boundary, the snapshot's seq, the months dropped.
    const metrics = suite.projector!.get(Metrics);
    const value = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
      (await m.get()).values[0]?.value;
    await waitFor(
      'the retention metrics',
      async () => (await value(metrics.retentionBoundary)) === lastMonth.getTime() / 1000,
    );
    expect(await value(metrics.retentionSnapshotSeq)).toBe(foldSeq);
    expect(await value(metrics.retentionPartitionsDropped)).toBe(2);
    const runs = (await metrics.retentionRuns.get()).values;
    expect(runs.find((r) => r.labels.outcome === 'dropped')?.value).toBe(1);
  });

  it('drops a redelivered event within the retention and dead-letters one before it as too_old', async () => {
    const before = await suite.usageInPostgres(config.id, 'b-day', 'cost', keptTime);
    const tooOld = usage(old[1], 7);
    await suite.kafka.sendEvents(suite.topics.usage, [keptEvent, tooOld]);

    const letters = await suite.deadLettersLogged(1);
    expect(letters.map((l) => l.code)).toEqual(['too_old']);
    await waitFor('both records consumed', async () => {
      const consumed = await count(
        `SELECT sum(next_offset) AS n FROM consumer_positions WHERE topic = '${suite.topics.usage}'`,
      );
      return consumed >= usageRecords + 2;
    });
    expect(before).toBeGreaterThanOrEqual(usd('1'));
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost', keptTime)).toBe(before);
    expect(await count('SELECT count(*) AS n FROM event_store')).toBe(81);
  });

  it('rebuilds from the snapshot and the tail: verify finds no difference', async () => {
    await waitFor('live Redis caught up', async () => {
      const [{ last_seq }]: { last_seq: string }[] = await suite.db.query(
        'SELECT last_seq FROM read_model_state',
      );
      return (await suite.redis.hget(suite.keys.meta, 'seq')) === last_seq;
    });
    await suite.stopProjector();
    const foldSeq = await count('SELECT fold_seq AS n FROM event_retention');
    const tail = await count(`SELECT count(*) AS n FROM event_store WHERE seq > ${foldSeq}`);

    const build = await runReplay(['build']);
    expect(build.code).toBe(0);
    const { built } = jsonLine<{ built: { version: number; events: number } }>(
      build.output,
      'built',
    );
    expect(built.events).toBe(tail);
    expect(tail).toBeLessThan(81);

    const verify = await runReplay(['verify']);
    expect(verify.output).toContain('result: no differences');
    expect(verify.code).toBe(0);
  });
});
