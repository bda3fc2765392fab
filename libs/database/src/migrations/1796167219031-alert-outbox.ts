import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threshold alerts, written in the same transaction as the counter change that crossed them and
 * published from here. `alert_id` is deterministic and unique: a redelivery, a crash or a replay
 * computing the same crossing again inserts nothing, so it is never published twice. Not part of
 * a read-model version (schema public): a rebuilt read model must not alert again.
 */
export class AlertOutbox1796167219031 implements MigrationInterface {
  name = 'AlertOutbox1796167219031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_outbox (
        id                bigserial   PRIMARY KEY,
        alert_id          text        NOT NULL,
        model_config_id   text        NOT NULL,
        counter_key       text        NOT NULL,
        window_start      timestamptz NOT NULL,
        threshold_percent integer     NOT NULL,
        envelope          text        NOT NULL, -- the CloudEvent JSON as published
        recorded_at       timestamptz NOT NULL DEFAULT now(),
        published_at      timestamptz NULL,
        CONSTRAINT alert_outbox_alert UNIQUE (alert_id)
      )`);
    await q.query(
      `CREATE INDEX alert_outbox_pending ON alert_outbox (id) WHERE published_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS alert_outbox`);
  }
}
