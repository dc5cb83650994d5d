import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed hash of the detention a rejected input names (its `subject`), never the id itself: a
 * withdrawal or retention erasure of that detention then also drops the dead letter's payload.
 */
export class DeadLetterSubject1764115000000 implements MigrationInterface {
  name = 'DeadLetterSubject1764115000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table dead_letter add column subject_pseudonym text`);
    await q.query(
      `create index ix_dead_letter_subject on dead_letter (subject_pseudonym) where subject_pseudonym is not null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table dead_letter drop column subject_pseudonym`);
  }
}
