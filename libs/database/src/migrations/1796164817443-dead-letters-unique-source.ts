import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One dead letter per source record (topic, partition, offset): a record consumed again (after a
 * crash, or by a new consumer group) is logged and sent to the DLQ once. Existing repeats are
 * folded into their first row.
 */
export class DeadLettersUniqueSource1796164817443 implements MigrationInterface {
  name = 'DeadLettersUniqueSource1796164817443';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM dead_letters d
       USING dead_letters first
       WHERE first.topic = d.topic AND first.partition = d.partition
         AND first.kafka_offset = d.kafka_offset AND first.id < d.id`);
    await q.query(`
      ALTER TABLE dead_letters
        ADD CONSTRAINT dead_letters_source UNIQUE (topic, partition, kafka_offset)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letters DROP CONSTRAINT IF EXISTS dead_letters_source`);
  }
}
