import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Counts per stage of the flow, straight from the database. Only counts and the ids of channels,
 * types, tenants and recipients: nothing about whom the events are.
 */
export interface FlowStats {
  since: string | null;
  tenant: string | null;
  received: { total: number; byChannel: Record<string, number>; byType: Record<string, number> };
  stored: { routed: number; unrouted: number; awaitingOrigin: number; withdrawn: number };
  rejected: { open: number; replayed: number; byChannel: Record<string, number> } | null;
  deliveries: Record<string, { published: number; pending: number; failing: number }>;
  results: Record<string, Record<string, number>>;
}

@Injectable()
export class FlowStatsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `tenantId` null: every tenant (operator); dead letters only then, as they may belong to no tenant. */
  async stats(tenantId: string | null, since: Date | null): Promise<FlowStats> {
    const params = [tenantId, since];
    const tenantFilter = `($1::text is null or tenant_id = $1) and ($2::timestamptz is null or %s >= $2)`;
    const events: { channel: string; type: string; routing_status: string; n: string }[] =
      await this.db.query(
        `select channel, type, routing_status, count(*) n from inbound_event
       where ${tenantFilter.replace('%s', 'received_at')} group by 1, 2, 3`,
        params,
      );
    const deliveries: { recipient_id: string; published: string; pending: string; failing: string }[] =
      await this.db.query(
        `select recipient_id,
                count(*) filter (where published_at is not null) published,
                count(*) filter (where published_at is null) pending,
                count(*) filter (where published_at is null and publish_attempts > 0) failing
         from delivery where ${tenantFilter.replace('%s', 'created_at')} group by 1`,
        params,
      );
    const results: { type: string; outcome: string; n: string }[] = await this.db.query(
      `select type, outcome, count(*) n from connector_result
       where ${tenantFilter.replace('%s', 'received_at')} group by 1, 2`,
      params,
    );
    const sum = (rows: { n: string }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
    const group = <T extends { n: string }>(rows: T[], key: (r: T) => string) =>
      rows.reduce<Record<string, number>>(
        (acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + Number(r.n) }),
        {},
      );

    let rejected: FlowStats['rejected'] = null;
    if (tenantId === null) {
      const dead: { channel: string; status: string; n: string }[] = await this.db.query(
        `select channel, status, count(*) n from dead_letter where ($1::timestamptz is null or received_at >= $1) group by 1, 2`,
        [since],
      );
      rejected = {
        open: sum(dead.filter((d) => d.status === 'open')),
        replayed: sum(dead.filter((d) => d.status === 'replayed')),
        byChannel: group(dead, (d) => d.channel),
      };
    }
    return {
      since: since?.toISOString() ?? null,
      tenant: tenantId,
      received: {
        total: sum(events),
        byChannel: group(events, (e) => e.channel),
        byType: group(events, (e) => e.type),
      },
      stored: {
        routed: sum(events.filter((e) => e.routing_status === 'routed')),
        unrouted: sum(events.filter((e) => e.routing_status === 'unrouted')),
        awaitingOrigin: sum(events.filter((e) => e.routing_status === 'awaiting-origin')),
        withdrawn: sum(events.filter((e) => e.routing_status === 'withdrawn')),
      },
      rejected,
      deliveries: Object.fromEntries(
        deliveries.map((d) => [
          d.recipient_id,
          { published: Number(d.published), pending: Number(d.pending), failing: Number(d.failing) },
        ]),
      ),
      results: results.reduce<Record<string, Record<string, number>>>(
        (acc, r) => ({ ...acc, [r.type]: { ...(acc[r.type] ?? {}), [r.outcome]: Number(r.n) } }),
        {},
      ),
    };
  }
}
