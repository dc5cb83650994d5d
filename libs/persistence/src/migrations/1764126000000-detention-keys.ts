import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crypto-shredding (ADR 0026): a data key per detention, wrapped by the master key ring, found by
 * the detention's pseudonym (its subject); erasure deletes the row. The disclosure log keeps the
 * data subject's id sealed and a keyed hash to query it by: rows written before this migration
 * keep the id in clear under the renamed column until the hub's re-sealing converts them.
 */
export class DetentionKeys1764126000000 implements MigrationInterface {
  name = 'DetentionKeys1764126000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create table detention_key (
         id uuid primary key,
         subject text not null unique,
         master_key_id text not null,
         wrapped bytea not null,
         created_at timestamptz not null default now())`,
    );
    await q.query(`create index ix_detention_key_master on detention_key (master_key_id)`);
    await q.query(`alter table disclosure_record rename column detention_id to detention_pseudonym`);
    await q.query(`alter table disclosure_record add column detention_sealed bytea, add column key_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table disclosure_record drop column detention_sealed, drop column key_id`);
    await q.query(`alter table disclosure_record rename column detention_pseudonym to detention_id`);
    await q.query(`drop table detention_key`);
  }
}
