import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A keyed blind index of the person's BSN (HMAC under a purpose key derived from PSEUDONYM_KEY,
 * ADR 0025), on the detention (set by its start) and on each disclosure record (copied when the
 * disclosure is recorded), so an access request (AVG art. 15) finds all of a person's disclosures
 * in a tenant without the BSN ever being stored in clear. Erasure clears both. Records written
 * before this migration have none: they are found per detention only.
 */
export class PersonIndex1764124200000 implements MigrationInterface {
  name = 'PersonIndex1764124200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table detention add column person_index text`);
    await q.query(`alter table disclosure_record add column person_index text`);
    await q.query(
      `create index disclosure_record_person_index on disclosure_record (tenant_id, person_index)
       where person_index is not null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index disclosure_record_person_index`);
    await q.query(`alter table disclosure_record drop column person_index`);
    await q.query(`alter table detention drop column person_index`);
  }
}
