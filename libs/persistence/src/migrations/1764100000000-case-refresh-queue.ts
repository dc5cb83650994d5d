import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Detentions whose case must be re-projected, written in the transaction that stored the event or
 * result (so no change is ever missed), worked off by the hub's CaseRefreshWorker (ADR 0009).
 */
export class CaseRefreshQueue1764100000000 implements MigrationInterface {
  name = 'CaseRefreshQueue1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table case_refresh (
        detention_id text primary key,
        requested_at timestamptz not null default clock_timestamp()
      )`);
    // Cases of events stored before the queue existed are picked up by the start-up scan.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table case_refresh`);
  }
}
