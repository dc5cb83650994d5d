import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each delivery backs off on its own: a recipient that is down (a webhook answering 503, a slow
 * endpoint) is retried on its own schedule instead of with every pass of the relay, so it neither
 * gets hammered nor holds up the batches that carry everyone else's deliveries.
 */
export class DeliveryNextAttempt1764116000000 implements MigrationInterface {
  name = 'DeliveryNextAttempt1764116000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery add column next_attempt_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery drop column next_attempt_at`);
  }
}
