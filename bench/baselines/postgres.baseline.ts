/**
 * Raw PostgreSQL in the hub's transaction shape, plain pg: an idempotent insert of the event
 * (unique (source, event id), `on conflict do nothing`), 6 outbox rows carrying the message, and,
 * after the "publish", the rows marked sent. One event per transaction, then a batch per transaction.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventWithId, perSecond } from '../support';

export const RECIPIENTS = 6;

export interface PostgresRun {
  events: number;
  eventsPerTransaction: number;
  eventsPerSecond: number;
  /** Outbox rows written and marked per second. */
  rowsPerSecond: number;
}

export interface PostgresBaseline {
  oneAtATime: PostgresRun;
  batched: PostgresRun;
}

/** Tables of the bench's own, shaped like inbound_event and delivery (never the hub's). */
export async function createBenchTables(db: Client): Promise<void> {
  await db.query(`drop table if exists bench_outbox; drop table if exists bench_inbound`);
  await db.query(`
    create table bench_inbound (
      id uuid primary key default gen_random_uuid(),
      source text not null, event_id text not null, type text not null,
      received_at timestamptz not null default now(), event jsonb not null,
      constraint uq_bench_inbound unique (source, event_id));
    create table bench_outbox (
      id uuid primary key default gen_random_uuid(),
      inbound_event_id uuid not null references bench_inbound (id),
      recipient_id text not null, message jsonb not null,
      created_at timestamptz not null default clock_timestamp(), published_at timestamptz);
    create index ix_bench_outbox_pending on bench_outbox (created_at) where published_at is null`);
}

export interface StoredRow {
  id: string;
  recipient: string;
  message: string;
}

/**
 * One transaction: the events (idempotently) and, for those new, 6 outbox rows each. Returns the
 * outbox rows written (none for a duplicate).
 */
export async function storeBatch(db: Client, events: { id: string; json: string }[]): Promise<StoredRow[]> {
  await db.query('begin');
  try {
    const stored = await db.query<{ id: string; event: string }>(
      `insert into bench_inbound (source, event_id, type, event)
       select 'urn:nl:dji:dpan', e.id, 'screening', e.json::jsonb
       from unnest($1::text[], $2::text[]) as e(id, json)
       on conflict (source, event_id) do nothing
       returning id, event::text as event`,
      [events.map((e) => e.id), events.map((e) => e.json)],
    );
    const ids: string[] = [];
    const recipients: string[] = [];
    const messages: string[] = [];
    for (const row of stored.rows)
      for (let r = 0; r < RECIPIENTS; r++) {
        ids.push(row.id);
        recipients.push(`recipient-${r}`);
        messages.push(row.event);
      }
    const outbox = await db.query<{ id: string; recipient_id: string; message: string }>(
      `insert into bench_outbox (inbound_event_id, recipient_id, message)
       select * from unnest($1::uuid[], $2::text[], $3::jsonb[])
       returning id, recipient_id, message::text as message`,
      [ids, recipients, messages],
    );
    await db.query('commit');
    return outbox.rows.map((r) => ({ id: r.id, recipient: r.recipient_id, message: r.message }));
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

export async function markSent(db: Client, ids: string[]): Promise<void> {
  await db.query(`update bench_outbox set published_at = clock_timestamp() where id = any($1::uuid[])`, [
    ids,
  ]);
}

async function run(db: Client, sample: string, events: number, perTransaction: number): Promise<PostgresRun> {
  const t0 = Date.now();
  for (let i = 0; i < events; i += perTransaction) {
    const batch = Array.from({ length: Math.min(perTransaction, events - i) }, () => {
      const id = randomUUID();
      return { id, json: eventWithId(sample, id) };
    });
    const rows = await storeBatch(db, batch);
    await markSent(
      db,
      rows.map((r) => r.id),
    );
  }
  const ms = Date.now() - t0;
  return {
    events,
    eventsPerTransaction: perTransaction,
    eventsPerSecond: perSecond(events, ms),
    rowsPerSecond: perSecond(events * RECIPIENTS, ms),
  };
}

export async function runPostgresBaseline(
  url: string,
  sample: string,
  single: number,
  batched: number,
  batchSize: number,
): Promise<PostgresBaseline> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await createBenchTables(db);
    const oneAtATime = await run(db, sample, single, 1);
    const batchedRun = await run(db, sample, batched, batchSize);
    return { oneAtATime, batched: batchedRun };
  } finally {
    await db.query(`drop table if exists bench_outbox; drop table if exists bench_inbound`);
    await db.end();
  }
}
