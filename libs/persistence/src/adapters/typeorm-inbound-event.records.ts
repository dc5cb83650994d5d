import { Inject, Injectable } from '@nestjs/common';
import { DetentionEvent } from '@nazorg/contracts';
import { DATA_CIPHER, DataCipherPort, SealedValue } from '../encryption/data-cipher.port';
import {
  EventTrace,
  InboundEventRecordsPort,
  IngressChannel,
  NewInboundEvent,
  RoutingStatus,
  StoredEvent,
} from '../ports/inbound-event-records.port';
import { envelopeOf, erasedStub } from './stored-envelopes';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormInboundEventRecords implements InboundEventRecordsPort {
  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  private query<T>(sql: string, parameters: unknown[]): Promise<T> {
    return this.unitOfWork.manager().query(sql, parameters) as Promise<T>;
  }

  async stored(ids: readonly { source: string; id: string }[]): Promise<{ source: string; id: string }[]> {
    if (ids.length === 0) return [];
    const rows: { source: string; event_id: string }[] = await this.query(
      `select i.source, i.event_id from inbound_event i
       join unnest($1::text[], $2::text[]) v(source, id) on i.source = v.source and i.event_id = v.id`,
      [ids.map((i) => i.source), ids.map((i) => i.id)],
    );
    return rows.map((r) => ({ source: r.source, id: r.event_id }));
  }

  async ofDetentions(detentionIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const byDetention = new Map<string, StoredEvent[]>();
    if (detentionIds.length === 0) return byDetention;
    const rows: {
      id: string;
      detention_id: string;
      channel: IngressChannel;
      routing_status: RoutingStatus;
      event: DetentionEvent;
      event_sealed: Buffer | null;
    }[] = await this.query(
      `select id, detention_id, channel, routing_status, event, event_sealed from inbound_event
       where detention_id = any($1) and routing_status <> 'withdrawn' order by received_at, id`,
      [detentionIds],
    );
    for (const r of rows) {
      // Rows from before encryption at rest hold the event in clear until re-sealed.
      const event = r.event_sealed
        ? await this.cipher.openJson<DetentionEvent>(r.event_sealed, {
            context: 'inbound_event.event',
            row: r.id,
          })
        : r.event;
      const stored = byDetention.get(r.detention_id) ?? [];
      stored.push({ id: r.id, channel: r.channel, routingStatus: r.routing_status, event });
      byDetention.set(r.detention_id, stored);
    }
    return byDetention;
  }

  async traces(pseudonyms: readonly string[]): Promise<EventTrace[]> {
    // The envelopes stay in clear after erasure: which types came, and when the chain sent them.
    const rows: { type: string; time: string | null; routing_status: string }[] = await this.query(
      `select type, event->>'time' as time, routing_status from inbound_event where detention_id = any($1)`,
      [pseudonyms],
    );
    return rows.map((r) => ({ type: r.type, time: r.time, routingStatus: r.routing_status }));
  }

  async insert(events: readonly NewInboundEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const em = this.unitOfWork.manager();
    // Each under its detention's key, bound to its row (inside a Kafka batch the keys were looked
    // up at its start).
    const byDetention = new Map<string, NewInboundEvent[]>();
    for (const e of events)
      byDetention.set(e.event.subject, [...(byDetention.get(e.event.subject) ?? []), e]);
    const groups = [...byDetention.entries()];
    const sealed: SealedValue[][] = [];
    for (const [detentionId, group] of groups)
      sealed.push(
        await this.cipher.sealAllFor(
          group.map((e) => ({
            plain: Buffer.from(JSON.stringify(e.event), 'utf8'),
            at: { context: 'inbound_event.event' as const, row: e.id },
          })),
          { detentionId },
          em,
        ),
      );
    const rows = groups.flatMap(([, group], g) => group.map((e, i) => ({ ...e, sealed: sealed[g][i] })));
    const inserted: { id: string }[] = await em.query(
      `insert into inbound_event (id, source, event_id, type, detention_id, channel, event, event_sealed, key_id,
                                  routing_status, tenant_id)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                            $8::bytea[], $9::text[], $10::text[], $11::text[])
       on conflict (source, event_id) do nothing returning id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.event.source),
        rows.map((r) => r.event.id),
        rows.map((r) => r.event.type),
        rows.map((r) => r.event.subject),
        rows.map((r) => r.channel),
        rows.map((r) => JSON.stringify(envelopeOf(r.event))),
        rows.map((r) => r.sealed.sealed),
        rows.map((r) => r.sealed.keyId),
        rows.map((r) => r.routingStatus),
        rows.map((r) => r.tenantId),
      ],
    );
    return inserted.map((r) => r.id);
  }

  async insertInert(
    event: DetentionEvent,
    at: { keyedEventId: string; pseudonym: string; channel: IngressChannel },
  ): Promise<string | null> {
    const inserted: { id: string }[] = await this.query(
      `insert into inbound_event (source, event_id, type, detention_id, channel, event, routing_status)
       values ($1, $2, $3, $4, $5, $6, 'withdrawn')
       on conflict (source, event_id) do nothing returning id`,
      [event.source, at.keyedEventId, event.type, at.pseudonym, at.channel, erasedStub(event)],
    );
    return inserted[0]?.id ?? null;
  }

  async setRouting(
    updates: readonly { id: string; status: RoutingStatus; tenantId: string | null }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    await this.query(
      `update inbound_event i set routing_status = s.status, tenant_id = s.tenant
       from unnest($1::uuid[], $2::text[], $3::text[]) s(id, status, tenant) where i.id = s.id`,
      [updates.map((s) => s.id), updates.map((s) => s.status), updates.map((s) => s.tenantId)],
    );
  }

  async removeAwaiting(id: string): Promise<void> {
    await this.query(`delete from inbound_event where id = $1 and routing_status = 'awaiting-origin'`, [id]);
  }
}
