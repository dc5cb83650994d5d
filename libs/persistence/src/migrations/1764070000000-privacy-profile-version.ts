import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which version of a recipient's privacy profile decided a delivery's fields (issue 5). */
export class PrivacyProfileVersion1764070000000 implements MigrationInterface {
  name = 'PrivacyProfileVersion1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery add column privacy_profile_version text`);
    await q.query(`alter table disclosure_record add column privacy_profile_version text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table disclosure_record drop column privacy_profile_version`);
    await q.query(`alter table delivery drop column privacy_profile_version`);
  }
}
