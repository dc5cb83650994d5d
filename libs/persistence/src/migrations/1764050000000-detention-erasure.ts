import { MigrationInterface, QueryRunner } from 'typeorm';

/** Withdrawal and erasure of a detention (a withdrawn notification is forgotten by the hub). */
export class DetentionErasure1764050000000 implements MigrationInterface {
  name = 'DetentionErasure1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table detention add column withdrawn_at timestamptz, add column erased_at timestamptz`,
    );
    await q.query(
      `create index ix_detention_awaiting_erasure on detention (withdrawn_at) where erased_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index ix_detention_awaiting_erasure`);
    await q.query(`alter table detention drop column withdrawn_at, drop column erased_at`);
  }
}
