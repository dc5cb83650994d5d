import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring (docs/adr/0012): incidents (alerts to humans, one per open condition and subject) and
 * the heartbeat of every running app instance.
 */
export class Monitoring1764118000000 implements MigrationInterface {
  name = 'Monitoring1764118000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table incident (
        id uuid primary key default gen_random_uuid(),
        condition text not null,
        subject text not null,
        tenant_id text,
        raised_at timestamptz not null default now(),
        cleared_at timestamptz,
        notified_at timestamptz,
        cleared_notified_at timestamptz,
        summary text not null
      )`);
    // One open incident per condition and subject: the database enforces "one alert per condition".
    await q.query(
      `create unique index uq_incident_open on incident (condition, subject) where cleared_at is null`,
    );
    await q.query(`create index ix_incident_raised on incident (raised_at desc)`);
    await q.query(`
      create table app_instance (
        instance_id uuid primary key,
        app text not null,
        version text not null,
        host text not null,
        pid int not null,
        started_at timestamptz not null,
        last_heartbeat_at timestamptz not null
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table app_instance`);
    await q.query(`drop table incident`);
  }
}
