import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's problem kinds (care, debts, ...) and referral partners (e.g. an addiction service) are
 * health-related data about the detainee: sealed like the rest of the case (ADR 0008), in a column
 * of their own with its own key id, because they outlive the case state on erasure (the
 * registration report still counts them, under the keyed hash). Live cases are re-projected from
 * their events, which writes the sealed value; erased cases, already pseudonymised and no longer
 * projectable, keep their arrays in clear and are counted from there.
 */
export class SealedCaseConditions1764117000000 implements MigrationInterface {
  name = 'SealedCaseConditions1764117000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table aftercare_case add column conditions_sealed bytea, add column conditions_key_id text`,
    );
    await q.query(
      `insert into case_refresh (detention_id)
       select detention_id from aftercare_case where state_sealed is not null
       on conflict (detention_id) do nothing`,
    );
    await q.query(
      `update aftercare_case set problems = '{}', referrals = '{}' where state_sealed is not null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table aftercare_case drop column conditions_sealed, drop column conditions_key_id`);
  }
}
