import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery the sender refused for good (a webhook that redirects, an insecure or internal URL)
 * is parked instead of retried for ever: it stays unpublished and visible as failing, and the relay
 * tries it again once after its next start (the recipient's configuration may have been fixed).
 */
export class DeliveryParked1764124000000 implements MigrationInterface {
  name = 'DeliveryParked1764124000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery add column parked_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery drop column parked_at`);
  }
}
