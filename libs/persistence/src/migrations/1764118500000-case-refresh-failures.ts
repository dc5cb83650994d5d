import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case whose projection fails on its data is counted on its refresh request and, after
 * CASE_PROJECTION_MAX_ATTEMPTS, parked for operations, so it is neither retried for ever nor holds
 * up any other case (docs/adr/0013). `last_error` holds an error class only, never data.
 */
export class CaseRefreshFailures1764118500000 implements MigrationInterface {
  name = 'CaseRefreshFailures1764118500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table case_refresh
        add column failed_attempts integer not null default 0,
        add column last_error text,
        add column last_error_at timestamptz,
        add column parked_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table case_refresh drop column failed_attempts, drop column last_error,
        drop column last_error_at, drop column parked_at`);
  }
}
