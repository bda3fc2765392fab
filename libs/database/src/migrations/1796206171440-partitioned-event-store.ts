import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS =
  'seq, source, event_id, type, time, envelope, topic, partition, kafka_offset, recorded_at';

/**
 * Retention (issue 9): the event store is partitioned by event `time`, one RANGE partition per
 * UTC month, so old months can be dropped whole instead of deleted row by row. A DEFAULT
 * partition takes any event whose month has no partition yet; `ensure_event_store_partition`
 * (called here and by the projector's retention job, which creates months ahead) moves such
 * rows into the month's partition when it creates it.
 *
 * A unique index of a partitioned table must contain the partition key, so (source, event_id)
 * can no longer be unique in the store itself: the dedup keys move to `event_keys`
 * (unpartitioned), written by appendEvents in the same transaction as the event.
 *
 * `seq` keeps its values, its order and its sequence (event_store_seq_seq).
 * Never edit after merge: add a new migration instead.
 */
export class PartitionedEventStore1796206171440 implements MigrationInterface {
  name = 'PartitionedEventStore1796206171440';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE event_store RENAME TO event_store_unpartitioned');
    await q.query(
      'ALTER TABLE event_store_unpartitioned RENAME CONSTRAINT event_store_pkey TO event_store_unpartitioned_pkey',
    );
    await q.query(
      'ALTER TABLE event_store_unpartitioned RENAME CONSTRAINT event_store_identity TO event_store_unpartitioned_identity',
    );
    await q.query(`
      CREATE TABLE event_store (
        seq          bigint      NOT NULL DEFAULT nextval('event_store_seq_seq'),
        source       text        NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        time         timestamptz NOT NULL,
        envelope     text        NOT NULL, -- the CloudEvent JSON, validated before it is stored
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (seq, time)
      ) PARTITION BY RANGE (time)`);
    // Owned by the new column, so dropping the old table below keeps it (and its position).
    await q.query('ALTER SEQUENCE event_store_seq_seq OWNED BY event_store.seq');
    await q.query('CREATE TABLE event_store_default PARTITION OF event_store DEFAULT');
    await q.query(ENSURE_PARTITION_FUNCTION);
    // Every month that holds events, and the current one and two ahead (the job keeps ahead).
    await q.query(`
      SELECT ensure_event_store_partition(m) FROM (
        SELECT DISTINCT date_trunc('month', time, 'UTC') AS m FROM event_store_unpartitioned
        UNION SELECT date_trunc('month', now(), 'UTC') + make_interval(months => k)
          FROM generate_series(0, 2) AS k
      ) months ORDER BY m`);
    await q.query(
      `INSERT INTO event_store (${COLUMNS})
       SELECT ${COLUMNS} FROM event_store_unpartitioned ORDER BY seq`,
    );
    // Redelivery stays a no-op: (source, event_id) of every stored event, one row each.
    await q.query(`
      CREATE TABLE event_keys (
        source   text NOT NULL,
        event_id text NOT NULL,
        PRIMARY KEY (source, event_id)
      )`);
    await q.query(
      'INSERT INTO event_keys (source, event_id) SELECT source, event_id FROM event_store_unpartitioned',
    );
    await q.query('DROP TABLE event_store_unpartitioned');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE event_store RENAME TO event_store_partitioned');
    await q.query(
      'ALTER TABLE event_store_partitioned RENAME CONSTRAINT event_store_pkey TO event_store_partitioned_pkey',
    );
    await q.query(`
      CREATE TABLE event_store (
        seq          bigint      PRIMARY KEY DEFAULT nextval('event_store_seq_seq'),
        source       text        NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        time         timestamptz NOT NULL,
        envelope     text        NOT NULL,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_store_identity UNIQUE (source, event_id)
      )`);
    await q.query('ALTER SEQUENCE event_store_seq_seq OWNED BY event_store.seq');
    await q.query(
      `INSERT INTO event_store (${COLUMNS})
       SELECT ${COLUMNS} FROM event_store_partitioned ORDER BY seq`,
    );
    await q.query('DROP TABLE event_store_partitioned');
    await q.query('DROP TABLE event_keys');
    await q.query('DROP FUNCTION ensure_event_store_partition(timestamptz)');
  }
}

/**
 * Creates the partition of the UTC month holding `at` unless it exists; returns its name.
 * Create-then-attach (not CREATE ... PARTITION OF): ATTACH takes only a SHARE UPDATE EXCLUSIVE
 * lock on event_store, so live appends into other months go on meanwhile; only appends that
 * land in the default partition wait while its rows of that month move.
 */
const ENSURE_PARTITION_FUNCTION = `
  CREATE FUNCTION ensure_event_store_partition(at timestamptz) RETURNS text
  LANGUAGE plpgsql AS $$
  DECLARE
    lo   timestamptz := date_trunc('month', at, 'UTC');
    -- month arithmetic in UTC whatever the session's TimeZone
    hi   timestamptz := ((lo AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    name text := 'event_store_y' || to_char(lo AT TIME ZONE 'UTC', 'YYYY"m"MM');
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('event_store_partitions'));
    IF to_regclass(format('public.%I', name)) IS NOT NULL THEN
      RETURN name;
    END IF;
    EXECUTE format('CREATE TABLE public.%I (LIKE public.event_store INCLUDING DEFAULTS)', name);
    EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (time >= %L AND time < %L)',
                   name, name || '_range', lo, hi);
    LOCK TABLE public.event_store_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format(
      'WITH moved AS (DELETE FROM public.event_store_default WHERE time >= $1 AND time < $2
                      RETURNING *)
       INSERT INTO public.%I SELECT * FROM moved', name) USING lo, hi;
    EXECUTE format('ALTER TABLE public.event_store ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                   name, lo, hi);
    EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', name, name || '_range');
    RETURN name;
  END $$`;
