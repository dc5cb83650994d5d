import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner kinds whose consent a later screening of the detention withdrew (ADR 0025): routing,
 * the case and the outbox relay read it, so nothing more about the detention reaches them.
 */
export class ConsentWithdrawn1764124100000 implements MigrationInterface {
  name = 'ConsentWithdrawn1764124100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table detention add column consent_withdrawn_from text[] not null default '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table detention drop column consent_withdrawn_from`);
  }
}
