import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data encrypted at rest (docs/adr/0008): the full event, delivery message, connector
 * result and rejected payload move into `*_sealed` / sealed `payload` bytes, each with the id of the
 * key that sealed it; the jsonb columns keep only the envelope (id, source, type, time).
 * Rows written before this migration are sealed by the hub at its next start (SealedDataRekeyer):
 * a migration cannot, because the keys live in the environment, not in the database.
 */
export class SealedPersonalData1764060000000 implements MigrationInterface {
  name = 'SealedPersonalData1764060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table inbound_event add column event_sealed bytea, add column key_id text`);
    await q.query(`alter table delivery add column message_sealed bytea, add column key_id text`);
    await q.query(`alter table connector_result add column event_sealed bytea, add column key_id text`);
    await q.query(`alter table dead_letter add column key_id text, alter column payload drop not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table dead_letter drop column key_id`);
    await q.query(`alter table connector_result drop column event_sealed, drop column key_id`);
    await q.query(`alter table delivery drop column message_sealed, drop column key_id`);
    await q.query(`alter table inbound_event drop column event_sealed, drop column key_id`);
  }
}
