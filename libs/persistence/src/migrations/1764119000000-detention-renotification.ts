import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A withdrawn notification may be followed by a new one for the same detention id (ADR 0014: the
 * chain corrects a start naming another tenant by a withdrawal and a new start). The erased trace
 * of the old one is then `superseded_at` (what is about the detention id now is the new one's), and
 * the new detention row remembers the withdrawal's time in `stale_before`: events the chain sent
 * before it belong to the withdrawn notification and stay inert. Dates only, nothing personal.
 */
export class DetentionRenotification1764119000000 implements MigrationInterface {
  name = 'DetentionRenotification1764119000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table detention add column superseded_at timestamptz, add column stale_before timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table detention drop column superseded_at, drop column stale_before`);
  }
}
