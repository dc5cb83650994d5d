import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { LEADER_ELECTION, LeaderElectionPort, LeaderSchedule, MONITOR_ROLE } from '@nazorg/persistence';
import { ChannelHealthService } from './channel-health.service';
import { ChannelsSnapshot } from './channel-health';
import { ActiveCondition } from './incident';
import { IncidentService } from './incident.service';

/**
 * Held for a tick, so two ticks never overlap (a tick called directly, or one that outlasts a
 * hand-over of the leadership): nobody double-raises nor double-alerts.
 */
const MONITOR_LOCK = 7_305_0010;
const DAY_MS = 86_400_000;

/**
 * Every MONITOR_INTERVAL_MS in one ops instance (the monitor leader, ADR 0019): sample the channels, work out which conditions hold
 * (stuck channels, failing recipients, missed deadlines), reconcile the incidents and send the
 * alerts. A failing tick is logged and the next one tries again.
 */
@Injectable()
export class MonitorLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: LeaderSchedule;

  constructor(
    private readonly config: AppConfig,
    private readonly tenants: TenantsFile,
    private readonly channels: ChannelHealthService,
    private readonly incidents: IncidentService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LEADER_ELECTION) leader: LeaderElectionPort,
  ) {
    this.schedule = new LeaderSchedule(leader, {
      role: MONITOR_ROLE,
      name: MonitorLoop.name,
      intervalMs: config.MONITOR_INTERVAL_MS,
      work: () => this.tick(),
      // As before: the first tick one interval after start (the channels need a sample to compare).
      runWhenElected: false,
    });
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  async tick(): Promise<void> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`select pg_try_advisory_lock($1) as locked`, [MONITOR_LOCK]);
      if (!locked) return;
      try {
        const snapshot = await this.channels.snapshot(null);
        await this.incidents.reconcile([
          ...stuckConditions(snapshot),
          ...(await this.failingRecipients(snapshot)),
          ...(await this.missedDeadlines()),
        ]);
        await this.incidents.notifyPending();
      } finally {
        await runner.query(`select pg_advisory_unlock($1)`, [MONITOR_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async failingRecipients(snapshot: ChannelsSnapshot): Promise<ActiveCondition[]> {
    const rows: { recipient_id: string; deliveries: string; attempts: number }[] = await this.db.query(
      `select recipient_id, count(*) as deliveries, max(publish_attempts) as attempts from delivery
       where published_at is null and publish_attempts >= $1 group by recipient_id`,
      [this.config.RECIPIENT_FAILING_AFTER_ATTEMPTS],
    );
    const tenantOf = new Map(snapshot.recipients.map((r) => [r.recipientId, r.tenant]));
    return rows.map((r) => ({
      condition: 'recipient-failing' as const,
      subject: `recipient:${r.recipient_id}`,
      tenant: tenantOf.get(r.recipient_id) ?? null,
      summary: `${r.deliveries} deliveries to ${r.recipient_id} failing, up to ${r.attempts} attempts each`,
    }));
  }

  /** One per tenant and deadline kind while any open case of it has missed that deadline. */
  private async missedDeadlines(): Promise<ActiveCondition[]> {
    const longest = Math.max(
      this.tenants.defaultPolicy.aftercareDays,
      ...this.tenants.tenants.map((t) => t.policy.aftercareDays),
    );
    const rows: { tenant_id: string; deadline: string; cases: string }[] = await this.db.query(
      `select a.tenant_id, a.deadline, count(distinct a.detention_id) as cases
       from case_alert a join aftercare_case c on c.detention_id = a.detention_id
       where a.status = 'missed'
         and (c.status = 'detained' or (c.status = 'released' and c.released_at >= $1))
       group by a.tenant_id, a.deadline`,
      [new Date(Date.now() - longest * DAY_MS)],
    );
    return rows.map((r) => ({
      condition: 'deadline-missed' as const,
      subject: `deadline:${r.tenant_id}/${r.deadline}`,
      tenant: r.tenant_id,
      summary: `${r.cases} open case(s) of ${r.tenant_id} missed the ${r.deadline} deadline`,
    }));
  }
}

export function stuckConditions(snapshot: ChannelsSnapshot): ActiveCondition[] {
  const out: ActiveCondition[] = [];
  for (const k of snapshot.kafka.filter((p) => p.stuck))
    out.push({
      condition: 'channel-stuck',
      subject: `kafka:${k.topic}/${k.partition}`,
      tenant: null,
      summary: `Kafka ${k.topic} partition ${k.partition}: ${k.lag} record(s) behind, not moving since ${k.stuckSince}`,
    });
  for (const q of snapshot.queues.filter((x) => x.stuck))
    out.push({
      condition: 'channel-stuck',
      subject: `queue:${q.queue}`,
      tenant: null,
      summary: `queue ${q.queue}: ${q.depth} message(s), ${q.consumers} consumer(s), not draining since ${q.stuckSince}`,
    });
  for (const r of snapshot.recipients.filter((x) => x.stuck))
    out.push({
      condition: 'channel-stuck',
      subject: `recipient:${r.recipientId}`,
      tenant: r.tenant,
      summary: `recipient ${r.recipientId}: ${r.pending} pending deliveries, oldest not sent since ${r.stuckSince}`,
    });
  return out;
}
