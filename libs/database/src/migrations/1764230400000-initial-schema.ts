import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event store, consumer positions and the read models.
 * Never edit after merge: add a new migration instead.
 */
export class InitialSchema1764230400000 implements MigrationInterface {
  name = 'InitialSchema1764230400000';

  async up(q: QueryRunner): Promise<void> {
    // Append-only log. `seq` is the order replay uses; (source, event_id) makes redelivery a no-op.
    await q.query(`
      CREATE TABLE event_store (
        seq          bigserial PRIMARY KEY,
        source       text        NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        time         timestamptz NOT NULL,
        envelope     text        NOT NULL, -- the CloudEvent JSON, validated before it is stored
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_store_identity UNIQUE (source, event_id)
      )`);
    await q.query(`
      CREATE TABLE consumer_positions (
        consumer_group text        NOT NULL,
        topic          text        NOT NULL,
        partition      integer     NOT NULL,
        next_offset    bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, topic, partition)
      )`);
    // `limits` holds the counter series of each budget / rate-limit dimension (keys, anchors).
    await q.query(`
      CREATE TABLE model_configs (
        id               text        PRIMARY KEY,
        model_name       text        NOT NULL,
        provider         text        NULL,
        scope            text        NOT NULL,
        scope_id         text        NULL,
        scope_name       text        NULL,
        calendar_aligned boolean     NOT NULL,
        definition       jsonb       NOT NULL,
        limits           jsonb       NOT NULL,
        config_hash      text        NOT NULL,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        version          bigint      NOT NULL,
        changed_seq      bigint      NOT NULL,
        deleted_at       timestamptz NULL
      )`);
    // NULL scope_id / provider compare as values: one "all providers" config per identity.
    await q.query(`
      CREATE UNIQUE INDEX model_configs_identity
        ON model_configs (scope, scope_id, model_name, provider) NULLS NOT DISTINCT
        WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE INDEX model_configs_listing ON model_configs (created_at DESC, id DESC)
        WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX model_configs_changed ON model_configs (changed_seq)`);
    // One row per counter series and window. `version` grows on every change and fences Redis.
    await q.query(`
      CREATE TABLE usage_counters (
        counter_key  text        NOT NULL,
        window_start timestamptz NOT NULL,
        value        bigint      NOT NULL,
        version      bigint      NOT NULL,
        changed_seq  bigint      NOT NULL,
        PRIMARY KEY (counter_key, window_start)
      )`);
    await q.query(`CREATE INDEX usage_counters_changed ON usage_counters (changed_seq)`);
    await q.query(`
      CREATE TABLE dead_letters (
        id              bigserial   PRIMARY KEY,
        topic           text        NOT NULL,
        partition       integer     NOT NULL,
        kafka_offset    bigint      NOT NULL,
        source          text        NULL,
        event_id        text        NULL,
        code            text        NOT NULL,
        message         text        NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dead_letters_event ON dead_letters (source, event_id)`);
    // A single row: how far the read models are.
    await q.query(`
      CREATE TABLE read_model_state (
        id            smallint    PRIMARY KEY CHECK (id = 1),
        last_seq      bigint      NOT NULL,
        as_of         timestamptz NULL,
        config_epoch  bigint      NOT NULL DEFAULT 0,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO read_model_state (id, last_seq) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'read_model_state',
      'dead_letters',
      'usage_counters',
      'model_configs',
      'consumer_positions',
      'event_store',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
