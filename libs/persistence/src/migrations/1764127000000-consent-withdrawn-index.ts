import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay withholds, before every claim, the waiting rows to a partner kind whose consent was
 * withdrawn (ADR 0025). Driven from the pending deliveries, that read every waiting row once per
 * claim: with 100,000 waiting (the bench's onboarding replay) a claim took about 0.1 s, and the
 * replay slowed from 31 s to 110 s. The few detentions with a withdrawn consent are found here.
 */
export class ConsentWithdrawnIndex1764127000000 implements MigrationInterface {
  name = 'ConsentWithdrawnIndex1764127000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create index ix_detention_consent_withdrawn on detention (detention_id) where consent_withdrawn_from <> '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index ix_detention_consent_withdrawn`);
  }
}
