import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Inject, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { Public } from '@nazorg/http';
import { Response } from 'express';
import { TenantsFile } from '@nazorg/config';
import { RegistrationReportService } from '@nazorg/operations';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { CaseTraceService } from './case-trace.service';
import { ConsoleGuard, Session } from './console.guard';
import { ConsoleLoginFilter } from './console-login.filter';
import { CONSOLE_MONITORING, ConsoleMonitoringPort, Incident } from './console-monitoring.port';
import { sendHtml } from './console-response';
import { ConsoleSession } from './console-session.service';
import { html } from './html';
import { DeadlineRow, deadlinesView } from './views/deadlines.view';
import { page, unavailable } from './views/layout.view';
import { alertsView, channelsView, incidentBanner, instancesView } from './views/monitoring.view';
import { reportView } from './views/report.view';
import { traceForm, traceView } from './views/trace.view';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Deadlines, trace, registration report and the monitoring views (channels, alerts, instances). */
// Outside the API's Bearer guard: pages authenticate by the console's session cookie (ConsoleGuard).
@Public()
@ApiExcludeController() // pages, not API: the OpenAPI document lists the API only
@Controller()
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleLoginFilter)
export class ConsoleViewsController {
  constructor(
    @Inject(CASE_STORE) private readonly cases: CaseStorePort,
    @Inject(CONSOLE_MONITORING) private readonly monitoring: ConsoleMonitoringPort,
    private readonly traces: CaseTraceService,
    private readonly reports: RegistrationReportService,
    private readonly tenants: TenantsFile,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {}

  @Get('deadlines')
  async deadlines(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    const { principal } = session;
    const alerts = await this.cases.alerts(principal.role === 'coordinator' ? principal.tenantId : null, 500);
    // Newest first: the first alert per case and deadline is its current status.
    const seen = new Set<string>();
    const rows: DeadlineRow[] = [];
    for (const a of alerts) {
      const key = `${a.detentionId}\u0000${a.deadline}`;
      if (seen.has(key) || (a.status !== 'threatened' && a.status !== 'missed')) continue;
      seen.add(key);
      rows.push({
        // Erased detentions already carry their keyed hash; operators never see a real id.
        ref:
          principal.role === 'operator' && !a.erased
            ? this.pseudonymizer.pseudonym(a.detentionId)
            : a.detentionId,
        tenantId: a.tenantId,
        deadline: a.deadline,
        status: a.status,
        dueOn: a.dueOn,
        raisedAt: a.raisedAt,
      });
    }
    sendHtml(res, page({ title: 'Deadlines', active: '/deadlines', session }, deadlinesView(rows, true)));
  }

  @Get('trace')
  async trace(
    @Session() session: ConsoleSession,
    @Query('ref') ref: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const hint =
      session.principal.role === 'operator'
        ? 'the keyed pseudonym (p-…) shown in Deadlines and the API'
        : 'the pseudonym or the detention id of one of your cases';
    const asked = typeof ref === 'string' ? ref.trim() : '';
    const trace = asked ? await this.traces.trace(session.principal, asked) : undefined;
    // A reference that names nothing is not echoed back: it may be someone's real id.
    const body = html`${traceForm(trace ? asked : '', hint)}${
      asked &&
      (trace ? traceView(trace) : html`<p class="notice" data-trace-missing>No case with that reference.</p>`)
    }`;
    sendHtml(res, page({ title: 'Trace', active: '/trace', session }, body), asked && !trace ? 404 : 200);
  }

  @Get('report')
  async report(
    @Session() session: ConsoleSession,
    @Query('tenant') tenant: string | undefined,
    @Query('month') month: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { tenants, chosen, chosenMonth } = this.reportScope(session, tenant, month);
    const history = await Promise.all(monthsUpTo(chosenMonth, 6).map((m) => this.reports.report(chosen, m)));
    sendHtml(
      res,
      page(
        { title: 'Registration report', active: '/report', session, charts: true },
        reportView({
          tenants,
          tenant: chosen,
          month: chosenMonth,
          report: history[history.length - 1],
          history,
        }),
      ),
    );
  }

  @Get('report.csv')
  async reportCsv(
    @Session() session: ConsoleSession,
    @Query('tenant') tenant: string | undefined,
    @Query('month') month: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { chosen, chosenMonth } = this.reportScope(session, tenant, month);
    const report = await this.reports.report(chosen, chosenMonth);
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="registration-${chosen}-${chosenMonth}.csv"`)
      .setHeader('cache-control', 'no-store')
      .send(this.reports.toCsv(report));
  }

  @Get('channels')
  async channels(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    const answer = await this.monitoring.channels();
    const { principal } = session;
    const body = answer.available
      ? channelsView({
          ...answer.data,
          recipients: answer.data.recipients.filter(
            (r) => principal.role === 'operator' || r.tenant === null || r.tenant === principal.tenantId,
          ),
        })
      : unavailable(answer.reason);
    sendHtml(res, page({ title: 'Channels', active: '/channels', session }, body));
  }

  @Get('alerts')
  async alerts(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    const answer = await this.monitoring.incidents();
    const body = answer.available
      ? alertsView(this.visible(session, answer.data.incidents))
      : unavailable(answer.reason);
    sendHtml(res, page({ title: 'Alerts', active: '/alerts', session }, body));
  }

  @Get('instances')
  async instances(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    const answer = await this.monitoring.instances();
    const body = answer.available ? instancesView(answer.data.instances) : unavailable(answer.reason);
    sendHtml(res, page({ title: 'Instances', active: '/instances', session }, body));
  }

  /** The active-incident strip every page loads (and refreshes) into its header. */
  @Get('banner')
  async banner(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    const answer = await this.monitoring.incidents();
    const active = answer.available
      ? this.visible(session, answer.data.incidents).filter((i) => !i.clearedAt)
      : null;
    sendHtml(res, incidentBanner(active));
  }

  /** A coordinator sees incidents of its own tenant and those of no tenant (shared channels). */
  private visible(session: ConsoleSession, incidents: Incident[]): Incident[] {
    const { principal } = session;
    return incidents.filter(
      (i) => principal.role === 'operator' || i.tenant === null || i.tenant === principal.tenantId,
    );
  }

  private reportScope(session: ConsoleSession, tenant: string | undefined, month: string | undefined) {
    const { principal } = session;
    const tenants =
      principal.role === 'coordinator' ? [principal.tenantId] : this.tenants.tenants.map((t) => t.id);
    const chosen = tenant && tenants.includes(tenant) ? tenant : tenants[0];
    const chosenMonth = month && MONTH.test(month) ? month : new Date().toISOString().slice(0, 7);
    return { tenants, chosen, chosenMonth };
  }
}

/** `count` months ending with `month` (YYYY-MM), oldest first. */
export function monthsUpTo(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}
