import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The aftercare case per detention (issue 4): a projection of its events and connector results.
 * Dates, status and counts the report and the deadline scan filter on are columns; the rest (basic
 * conditions, institution history, results) is sealed like every personal value (ADR 0008).
 * Deliveries the hub itself originates (DPAN answer, alerts, warm handover) have no inbound event.
 */
export class AftercareCase1764090000000 implements MigrationInterface {
  name = 'AftercareCase1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table aftercare_case (
        detention_id text primary key,
        tenant_id text,
        status text not null,
        person_key text,
        started_at timestamptz,
        notified_at timestamptz,
        expected_release_date date,
        released_at timestamptz,
        screened_at timestamptz,
        aftercare_required boolean,
        problems text[] not null default '{}',
        referrals text[] not null default '{}',
        dpan_answered_at timestamptz,
        warm_handover_sent_for date,
        first_care_contact_at timestamptz,
        state_sealed bytea,
        key_id text,
        updated_at timestamptz not null default now()
      )`);
    await q.query(`create index ix_case_tenant_started on aftercare_case (tenant_id, started_at)`);
    await q.query(
      `create index ix_case_open on aftercare_case (status) where status in ('detained', 'released')`,
    );
    await q.query(`
      create table case_alert (
        id uuid primary key default gen_random_uuid(),
        detention_id text not null,
        tenant_id text not null,
        deadline text not null,
        status text not null,
        due_on date not null,
        raised_at timestamptz not null,
        constraint uq_case_alert unique (detention_id, deadline, status)
      )`);
    await q.query(`create index ix_case_alert_tenant on case_alert (tenant_id, raised_at)`);
    await q.query(`alter table delivery alter column inbound_event_id drop not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table case_alert`);
    await q.query(`drop table aftercare_case`);
  }
}
