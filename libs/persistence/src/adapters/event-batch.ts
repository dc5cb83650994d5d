import { DetentionEvent } from '@nazorg/contracts';
import { EntityManager } from 'typeorm';
import { IngressChannel, RoutingStatus } from '../ports/event-store.port';
import { SealedValue } from '../encryption/data-cipher.port';

/** A stored event of a detention, opened (what the facts check and the routing of waiters read). */
export interface StoredEvent {
  id: string;
  channel: IngressChannel;
  routingStatus: RoutingStatus;
  event: DetentionEvent;
}

/** The detention row events are recorded under, as far as recording reads it. */
export interface LiveDetention {
  origin_known: boolean;
  tenant_id: string | null;
  stale_before: Date | null;
  withdrawn_at: Date | null;
  consent_withdrawn_from: string[];
}

/** What a batch knows of one detention: read once under its lock, then kept up to date in memory. */
export interface BatchDetention {
  live: LiveDetention | null;
  rows: StoredEvent[];
}

interface PendingEvent {
  id: string;
  source: string;
  eventId: string;
  type: string;
  detentionId: string;
  channel: IngressChannel;
  envelope: object;
  sealed: SealedValue;
  routingStatus: RoutingStatus;
  tenantId: string | null;
}

interface PendingStart {
  detentionId: string;
  municipalityOfOrigin: string;
  tenantId: string | null;
  personIndex: string;
}

/** A delivery row as `insertDeliveries` writes it, sealed already. */
export interface PendingDelivery {
  id: string;
  formerIds: readonly string[];
  values: unknown[];
}

/**
 * The events of one Kafka batch (ADR 0028): what the store read of their detentions in a few
 * statements at the start, and the rows their recording produced, written in a few multi-row
 * statements at the end (or before an event that takes the one-by-one way). Memory only: the
 * batch's transaction is the truth, and a batch that fails is recorded again event by event.
 */
export class EventBatch {
  /** Only detentions the batch may record in memory; any other takes the one-by-one way. */
  readonly detentions = new Map<string, BatchDetention>();
  /** `source NUL id` of the events (also their keyed ids) whose duplicates were looked up. */
  readonly checked = new Set<string>();
  /** `source NUL id` already stored (before or in this batch). */
  readonly stored = new Set<string>();

  private events: PendingEvent[] = [];
  private touched = new Set<string>();
  private starts = new Map<string, PendingStart>();
  private releases: { detentionId: string; releasedAt: string }[] = [];
  private deliveries: PendingDelivery[] = [];
  private statuses: { id: string; status: RoutingStatus; tenantId: string | null }[] = [];
  private refresh = new Set<string>();

  static key(source: string, id: string): string {
    return `${source}\u0000${id}`;
  }

  addEvent(row: PendingEvent): void {
    this.events.push(row);
    this.stored.add(EventBatch.key(row.source, row.eventId));
  }

  /** The detention row exists (a non-start event: created without origin when new). */
  touch(detentionId: string): void {
    this.touched.add(detentionId);
  }

  start(start: PendingStart): void {
    this.starts.set(start.detentionId, start);
  }

  release(detentionId: string, releasedAt: string): void {
    this.releases.push({ detentionId, releasedAt });
  }

  addDeliveries(rows: readonly PendingDelivery[]): void {
    this.deliveries.push(...rows);
  }

  setStatus(id: string, status: RoutingStatus, tenantId: string | null): void {
    this.statuses.push({ id, status, tenantId });
  }

  requestCaseRefresh(detentionId: string): void {
    this.refresh.add(detentionId);
  }

  /**
   * Writes what is pending, in the batch's transaction, in the order the one-by-one way writes it
   * (detentions before their events, events before their deliveries). Throws when a row was
   * already there: the store's reads were wrong, so the batch must fail and go again one by one.
   */
  async flush(em: EntityManager): Promise<void> {
    const events = this.events;
    const touched = [...this.touched];
    const starts = [...this.starts.values()];
    const releases = this.releases;
    const deliveries = this.deliveries;
    const statuses = this.statuses;
    const refresh = [...this.refresh];
    this.events = [];
    this.touched = new Set();
    this.starts = new Map();
    this.releases = [];
    this.deliveries = [];
    this.statuses = [];
    this.refresh = new Set();

    if (touched.length)
      await em.query(
        `insert into detention (detention_id, origin_known) select unnest($1::text[]), false
         on conflict (detention_id) do update set updated_at = now()`,
        [touched],
      );
    if (starts.length)
      await em.query(
        `insert into detention (detention_id, origin_known, municipality_of_origin, tenant_id, person_index)
         select d, true, m, t, p from unnest($1::text[], $2::text[], $3::text[], $4::text[]) s(d, m, t, p)
         on conflict (detention_id) do update
           set origin_known = true, municipality_of_origin = excluded.municipality_of_origin,
               tenant_id = excluded.tenant_id, person_index = excluded.person_index, updated_at = now()`,
        [
          starts.map((s) => s.detentionId),
          starts.map((s) => s.municipalityOfOrigin),
          starts.map((s) => s.tenantId),
          starts.map((s) => s.personIndex),
        ],
      );
    if (releases.length)
      await em.query(
        `update detention d set released_at = greatest(d.released_at, r.at)
         from (select id, max(at::timestamptz) at from unnest($1::text[], $2::text[]) v(id, at) group by id) r
         where d.detention_id = r.id`,
        [releases.map((r) => r.detentionId), releases.map((r) => r.releasedAt)],
      );
    if (events.length) {
      const inserted: unknown[] = await em.query(
        `insert into inbound_event (id, source, event_id, type, detention_id, channel, event, event_sealed, key_id,
                                    routing_status, tenant_id)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                              $8::bytea[], $9::text[], $10::text[], $11::text[])
         on conflict (source, event_id) do nothing returning id`,
        [
          events.map((e) => e.id),
          events.map((e) => e.source),
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => e.detentionId),
          events.map((e) => e.channel),
          events.map((e) => JSON.stringify(e.envelope)),
          events.map((e) => e.sealed.sealed),
          events.map((e) => e.sealed.keyId),
          events.map((e) => e.routingStatus),
          events.map((e) => e.tenantId),
        ],
      );
      if (inserted.length !== events.length)
        throw new Error(
          `a batch's event was stored meanwhile (${events.length - inserted.length} of ${events.length})`,
        );
    }
    await insertDeliveryRows(em, deliveries);
    if (statuses.length)
      await em.query(
        `update inbound_event i set routing_status = s.status, tenant_id = s.tenant
         from unnest($1::uuid[], $2::text[], $3::text[]) s(id, status, tenant) where i.id = s.id`,
        [statuses.map((s) => s.id), statuses.map((s) => s.status), statuses.map((s) => s.tenantId)],
      );
    if (refresh.length)
      // A new input may change what the projection meets: it gets its own attempts (ADR 0013).
      await em.query(
        `insert into case_refresh (detention_id) select unnest($1::text[])
         on conflict (detention_id) do update set requested_at = clock_timestamp(), failed_attempts = 0,
           last_error = null, last_error_at = null, parked_at = null`,
        [refresh],
      );
  }
}

/** The delivery table's columns `insertDeliveries` writes, in its order. */
export const DELIVERY_COLUMNS = [
  'id',
  'inbound_event_id',
  'recipient_id',
  'recipient_kind',
  'tenant_id',
  'detention_id',
  'channel',
  'exchange',
  'routing_key',
  'message',
  'message_sealed',
  'key_id',
  'disclosed_paths',
  'privacy_profile_version',
  'trace_context',
] as const;

/** PostgreSQL takes at most 65,535 parameters per statement. */
const ROWS_PER_STATEMENT = Math.floor(60_000 / DELIVERY_COLUMNS.length);

/**
 * Writes sealed delivery rows (an id already there is left alone, so planning twice is harmless);
 * a row whose message was planned under a former id (before a key rotation) is left out.
 */
export async function insertDeliveryRows(em: EntityManager, rows: readonly PendingDelivery[]): Promise<void> {
  const formerIds = rows.flatMap((r) => r.formerIds);
  let planned = rows;
  if (formerIds.length > 0) {
    const there: { id: string }[] = await em.query(
      `select id::text as id from delivery where id = any($1::uuid[])`,
      [formerIds],
    );
    const found = new Set(there.map((r) => r.id));
    planned = rows.filter((r) => !r.formerIds.some((id) => found.has(id)));
  }
  const columns = DELIVERY_COLUMNS.length;
  for (let start = 0; start < planned.length; start += ROWS_PER_STATEMENT) {
    const chunk = planned.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk
      .map(
        (_, row) => `(${Array.from({ length: columns }, (_, c) => `$${row * columns + c + 1}`).join(', ')})`,
      )
      .join(', ');
    await em.query(
      `insert into delivery (${DELIVERY_COLUMNS.join(', ')}) values ${values} on conflict (id) do nothing`,
      chunk.flatMap((r) => r.values),
    );
  }
}
