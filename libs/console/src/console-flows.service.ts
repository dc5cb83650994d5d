import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlowStats, FlowStatsService } from '@nazorg/operations';
import { ConsolePeriod } from './console-period';

/** Rates over time, per bucket of the period, in events (or deliveries) per minute. */
export interface FlowRates {
  /** Start of each bucket, ISO 8601. */
  buckets: string[];
  ingress: Record<string, number[]>;
  recipients: Record<string, number[]>;
}

export interface RecipientLag {
  recipientId: string;
  pending: number;
  failing: number;
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
}

/** Everything the flows view shows; counts and ids of channels, tenants and recipients only. */
export interface FlowsSnapshot {
  at: string;
  counts: FlowStats;
  cases: number;
  rates: FlowRates;
  lag: RecipientLag[];
}

/**
 * The flows view's data, from the tables' timestamps: the stage counts of FlowStatsService plus
 * rates per bucket (received per ingress, published per recipient), the outbox lag per recipient
 * and how many cases the period's events touched.
 */
@Injectable()
export class ConsoleFlowsService {
  constructor(
    private readonly flows: FlowStatsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async snapshot(tenantId: string | null, period: ConsolePeriod, now = new Date()): Promise<FlowsSnapshot> {
    const [counts, rates, lag, cases] = await Promise.all([
      this.flows.stats(tenantId, period.from),
      this.rates(tenantId, period),
      this.lag(tenantId, now),
      this.cases(tenantId, period),
    ]);
    return { at: now.toISOString(), counts, cases, rates, lag };
  }

  private async rates(tenantId: string | null, period: ConsolePeriod): Promise<FlowRates> {
    const count = Math.max(
      1,
      Math.ceil((period.to.getTime() - period.from.getTime()) / 1000 / period.bucketSeconds),
    );
    const params = [tenantId, period.from, period.to, period.bucketSeconds];
    const bucket = (column: string) => `floor(extract(epoch from ${column} - $2::timestamptz) / $4)::int`;
    const window = (column: string) =>
      `($1::text is null or tenant_id = $1) and ${column} >= $2 and ${column} < $3`;
    const [received, published]: { k: string; b: number; n: string }[][] = await Promise.all([
      this.db.query(
        `select channel k, ${bucket('received_at')} b, count(*) n from inbound_event
         where ${window('received_at')} group by 1, 2`,
        params,
      ),
      this.db.query(
        `select recipient_id k, ${bucket('published_at')} b, count(*) n from delivery
         where ${window('published_at')} group by 1, 2`,
        params,
      ),
    ]);
    const perMinute = 60 / period.bucketSeconds;
    const series = (rows: { k: string; b: number; n: string }[]) => {
      const out: Record<string, number[]> = {};
      for (const r of rows) {
        if (r.b < 0 || r.b >= count) continue;
        (out[r.k] ??= new Array<number>(count).fill(0))[r.b] =
          Math.round(Number(r.n) * perMinute * 100) / 100;
      }
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
    };
    return {
      buckets: Array.from({ length: count }, (_, i) =>
        new Date(period.from.getTime() + i * period.bucketSeconds * 1000).toISOString(),
      ),
      ingress: series(received),
      recipients: series(published),
    };
  }

  private async lag(tenantId: string | null, now: Date): Promise<RecipientLag[]> {
    const rows: { recipient_id: string; pending: string; failing: string; oldest: Date | null }[] =
      await this.db.query(
        `select recipient_id, count(*) pending, count(*) filter (where publish_attempts > 0) failing,
                min(created_at) oldest
         from delivery where published_at is null and ($1::text is null or tenant_id = $1)
         group by 1 order by 1`,
        [tenantId],
      );
    return rows.map((r) => ({
      recipientId: r.recipient_id,
      pending: Number(r.pending),
      failing: Number(r.failing),
      oldestPendingAt: r.oldest ? r.oldest.toISOString() : null,
      oldestPendingAgeSeconds: r.oldest ? Math.max(0, (now.getTime() - r.oldest.getTime()) / 1000) : null,
    }));
  }

  private async cases(tenantId: string | null, period: ConsolePeriod): Promise<number> {
    const [row]: { n: string }[] = await this.db.query(
      `select count(*) n from aftercare_case c
       where ($1::text is null or c.tenant_id = $1)
         and exists (select 1 from inbound_event e where e.detention_id = c.detention_id and e.received_at >= $2)`,
      [tenantId, period.from],
    );
    return Number(row.n);
  }
}
