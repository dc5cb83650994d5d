import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: inbox, detentions, outbox (delivery), disclosure log, dead letters, results. */
export class InitialSchema1764040000000 implements MigrationInterface {
  name = 'InitialSchema1764040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table inbound_event (
        id uuid primary key default gen_random_uuid(),
        source text not null,
        event_id text not null,
        type text not null,
        detention_id text not null,
        channel text not null,
        received_at timestamptz not null default now(),
        event jsonb not null,
        routing_status text not null,
        tenant_id text,
        constraint uq_inbound_event_source_id unique (source, event_id)
      )`);
    await q.query(`create index ix_inbound_event_detention on inbound_event (detention_id, received_at)`);
    await q.query(`create index ix_inbound_event_received on inbound_event (received_at)`);
    await q.query(`
      create table detention (
        detention_id text primary key,
        origin_known boolean not null,
        municipality_of_origin text,
        tenant_id text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create table delivery (
        id uuid primary key,
        inbound_event_id uuid not null references inbound_event (id),
        recipient_id text not null,
        recipient_kind text not null,
        tenant_id text not null,
        detention_id text not null,
        channel jsonb not null,
        exchange text not null,
        routing_key text not null,
        message jsonb not null,
        disclosed_paths text[] not null,
        created_at timestamptz not null default clock_timestamp(),
        published_at timestamptz,
        publish_attempts int not null default 0,
        last_error text
      )`);
    await q.query(`create index ix_delivery_detention on delivery (detention_id)`);
    await q.query(`create index ix_delivery_pending on delivery (created_at) where published_at is null`);
    await q.query(`
      create table disclosure_record (
        id uuid primary key default gen_random_uuid(),
        delivery_id uuid not null references delivery (id),
        trace_id text not null,
        span_id text not null,
        recipient_id text not null,
        recipient_kind text not null,
        tenant_id text not null,
        detention_id text not null,
        event_type text not null,
        field_paths text[] not null,
        processing_activity text not null,
        legal_ground text not null,
        disclosed_at timestamptz not null
      )`);
    await q.query(`create index ix_disclosure_detention on disclosure_record (detention_id)`);
    await q.query(`
      create table dead_letter (
        id uuid primary key default gen_random_uuid(),
        channel text not null,
        received_at timestamptz not null default now(),
        violations jsonb not null,
        payload bytea not null,
        payload_bytes int not null,
        source text,
        event_id text,
        type text,
        status text not null default 'open',
        replayed_at timestamptz
      )`);
    await q.query(`create index ix_dead_letter_received on dead_letter (received_at)`);
    await q.query(`
      create table connector_result (
        id uuid primary key default gen_random_uuid(),
        source text not null,
        event_id text not null,
        type text not null,
        detention_id text not null,
        recipient_id text not null,
        tenant_id text,
        outcome text not null,
        event jsonb not null,
        received_at timestamptz not null default now(),
        constraint uq_connector_result_source_id unique (source, event_id)
      )`);
    await q.query(`create index ix_connector_result_detention on connector_result (detention_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'connector_result',
      'dead_letter',
      'disclosure_record',
      'delivery',
      'detention',
      'inbound_event',
    ]) {
      await q.query(`drop table if exists ${table}`);
    }
  }
}
