import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention: when a detention's person left the institution (the aftercare clock starts then), and
 * why a detention was erased (withdrawn | retention). Dead letters get their own retention.
 */
export class Retention1764080000000 implements MigrationInterface {
  name = 'Retention1764080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table detention add column released_at timestamptz, add column erasure_reason text`);
    await q.query(`update detention set erasure_reason = 'withdrawn' where erased_at is not null`);
    await q.query(
      `create index ix_detention_retention on detention (tenant_id, released_at) where erased_at is null`,
    );
    await q.query(`alter table dead_letter add column purged_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table dead_letter drop column purged_at`);
    await q.query(`drop index ix_detention_retention`);
    await q.query(`alter table detention drop column released_at, drop column erasure_reason`);
  }
}
