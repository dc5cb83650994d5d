import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loggableError } from '@nazorg/privacy';
import { AlertNotifier } from './alert-notifier';
import { MonitoringScope } from './channel-health';
import { ActiveCondition, IncidentView } from './incident';

interface IncidentRow {
  id: string;
  condition: IncidentView['condition'];
  subject: string;
  tenant_id: string | null;
  raised_at: Date;
  cleared_at: Date | null;
  notified_at: Date | null;
  summary: string;
}

/**
 * Incidents: one row per open condition and subject (a unique index), raised when a condition
 * starts to hold and cleared when it no longer does, so a stuck partition is one incident and one
 * alert however many ticks or messages it lasts (docs/adr/0012).
 */
@Injectable()
export class IncidentService {
  private readonly logger = new Logger(IncidentService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifier: AlertNotifier,
  ) {}

  /** Opens an incident for each condition without one, clears the open ones no longer among them. */
  async reconcile(active: ActiveCondition[]): Promise<void> {
    for (const c of active) {
      await this.db.query(
        `insert into incident (condition, subject, tenant_id, summary) values ($1, $2, $3, $4)
         on conflict (condition, subject) where cleared_at is null do nothing`,
        [c.condition, c.subject, c.tenant, c.summary],
      );
    }
    const open: { id: string; condition: string; subject: string }[] = await this.db.query(
      `select id, condition, subject from incident where cleared_at is null`,
    );
    const holding = new Set(active.map((c) => `${c.condition} ${c.subject}`));
    const gone = open.filter((o) => !holding.has(`${o.condition} ${o.subject}`)).map((o) => o.id);
    if (gone.length) await this.db.query(`update incident set cleared_at = now() where id = any($1)`, [gone]);
  }

  /**
   * Sends what is not sent yet: raised incidents, then resolutions of notified ones. A failing
   * webhook leaves them for the next tick; it never throws.
   */
  async notifyPending(): Promise<void> {
    if (!this.notifier.enabled) return;
    const raised: IncidentRow[] = await this.db.query(
      `select * from incident where notified_at is null and cleared_at is null order by raised_at`,
    );
    const resolved: IncidentRow[] = await this.db.query(
      `select * from incident where cleared_at is not null and notified_at is not null
         and cleared_notified_at is null order by cleared_at`,
    );
    try {
      for (const row of raised) {
        await this.notifier.send('raised', view(row));
        await this.db.query(`update incident set notified_at = now() where id = $1`, [row.id]);
      }
      for (const row of resolved) {
        await this.notifier.send('resolved', view(row));
        await this.db.query(`update incident set cleared_notified_at = now() where id = $1`, [row.id]);
      }
    } catch (error) {
      this.logger.warn(`alert webhook failed, will try again: ${loggableError(error)}`);
    }
  }

  /** Newest first; a coordinator sees its own tenant's incidents only. */
  async list(state: 'active' | 'all', scope: MonitoringScope = null): Promise<IncidentView[]> {
    const rows: IncidentRow[] = await this.db.query(
      `select * from incident
       where ($1::boolean = false or cleared_at is null) and ($2::text is null or tenant_id = $2)
       order by raised_at desc limit 500`,
      [state === 'active', scope],
    );
    return rows.map(view);
  }
}

function view(row: IncidentRow): IncidentView {
  return {
    id: row.id,
    condition: row.condition,
    subject: row.subject,
    tenant: row.tenant_id,
    raisedAt: new Date(row.raised_at).toISOString(),
    clearedAt: row.cleared_at ? new Date(row.cleared_at).toISOString() : null,
    notifiedAt: row.notified_at ? new Date(row.notified_at).toISOString() : null,
    summary: row.summary,
  };
}
