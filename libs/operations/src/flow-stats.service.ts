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
  rejected: {
    open: number;
    replayed: number;
    byChannel: Record<string, number>;
    /**
     * Inputs kept as dead letters because they kept failing on their content (issue 9), per
     * channel: how many are open, and when the first and the last of them were parked.
     */
    parked: Record<string, { open: number; firstAt: string; lastAt: string }>;
  } | null;
  /**
   * Cases whose projection fails on their data (ADR 0013): still being retried (`failing`, since
   * `failingSince`) and parked after CASE_PROJECTION_MAX_ATTEMPTS (`parked`, the last `lastParkedAt`),
   * by error class. Counts only: no detention is named.
   */
  projectionFailures: {
    failing: number;
    parked: number;
    failingSince: string | null;
    lastParkedAt: string | null;
    byError: Record<string, number>;
  };
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
      // Parked by IngestionService.park: its one violation says so (the reason names no data).
      const parked: { channel: string; open: string; first_at: Date; last_at: Date }[] = await this.db.query(
        `select channel, count(*) filter (where status = 'open') open, min(received_at) first_at,
                max(received_at) last_at
         from dead_letter where ($1::timestamptz is null or received_at >= $1)
           and violations->0->>'path' = '$' and violations->0->>'message' like 'could not be stored after %'
         group by 1`,
        [since],
      );
      rejected = {
        open: sum(dead.filter((d) => d.status === 'open')),
        replayed: sum(dead.filter((d) => d.status === 'replayed')),
        byChannel: group(dead, (d) => d.channel),
        parked: Object.fromEntries(
          parked.map((p) => [
            p.channel,
            { open: Number(p.open), firstAt: p.first_at.toISOString(), lastAt: p.last_at.toISOString() },
          ]),
        ),
      };
    }
    const projection: {
      last_error: string | null;
      failing: string;
      parked: string;
      failing_since: Date | null;
      last_parked: Date | null;
    }[] = await this.db.query(
      `select r.last_error, count(*) filter (where r.parked_at is null) failing,
              count(*) filter (where r.parked_at is not null) parked,
              min(r.last_error_at) filter (where r.parked_at is null) failing_since,
              max(r.parked_at) last_parked
       from case_refresh r left join detention d on d.detention_id = r.detention_id
       where r.failed_attempts > 0 and ($1::text is null or d.tenant_id = $1)
       group by 1`,
      [tenantId],
    );
    const earliest = (dates: (Date | null)[]) =>
      dates.filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
    const failingSince = earliest(projection.map((p) => p.failing_since))[0] ?? null;
    const lastParked = earliest(projection.map((p) => p.last_parked)).pop() ?? null;
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
      projectionFailures: {
        failing: projection.reduce((s, p) => s + Number(p.failing), 0),
        parked: projection.reduce((s, p) => s + Number(p.parked), 0),
        failingSince: failingSince?.toISOString() ?? null,
        lastParkedAt: lastParked?.toISOString() ?? null,
        byError: Object.fromEntries(
          projection.map((p) => [p.last_error ?? 'unknown', Number(p.failing) + Number(p.parked)]),
        ),
      },
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
