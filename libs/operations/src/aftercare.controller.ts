import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { sendProblem } from '@nazorg/ingestion';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { Pseudonymizer } from '@nazorg/privacy';
import { OpsCredentialsService } from './ops-credentials.service';
import { coordinatorOnly, principalOf } from './ops-request';
import { RegistrationReportService } from './registration-report.service';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Aftercare views: deadline alerts (coordinator: own tenant with detention ids; operator: all
 * tenants, pseudonymised), one detention's case (its tenant's coordinator only) and the monthly
 * registration report (counts only; JSON or CSV).
 */
@Controller('api/v1')
export class AftercareController {
  private readonly tenantIds: Set<string>;
  private readonly pseudonymizer: Pseudonymizer;

  constructor(
    private readonly credentials: OpsCredentialsService,
    @Inject(CASE_STORE) private readonly cases: CaseStorePort,
    private readonly reports: RegistrationReportService,
    tenants: TenantsFile,
    config: AppConfig,
  ) {
    this.tenantIds = new Set(tenants.tenants.map((t) => t.id));
    this.pseudonymizer = new Pseudonymizer(config.PSEUDONYM_KEY);
  }

  @Get('alerts')
  async getAlerts(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    const scope = principal.role === 'coordinator' ? principal.tenantId : null;
    const alerts = await this.cases.alerts(scope, 500);
    res.json({
      items: alerts.map(({ erased, ...a }) => ({
        ...a,
        // Erased detentions already carry their keyed hash; operators never see a real id. (Decided
        // by the erasure, not by the id's look: a sender may choose an id that looks like a hash.)
        detentionId:
          principal.role === 'operator' && !erased
            ? this.pseudonymizer.pseudonym(a.detentionId)
            : a.detentionId,
      })),
    });
  }

  @Get('detentions/:detentionId/case')
  async getCase(
    @Req() req: Request,
    @Res() res: Response,
    @Param('detentionId') detentionId: string,
  ): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (!coordinatorOnly(principal, res, 'A case names the person; operators see pseudonymised flows only.'))
      return;
    const found = await this.cases.find(detentionId);
    // Another tenant's detention and an unknown one answer alike.
    if (!found || found.tenantId !== principal.tenantId) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:not-found',
        title: 'No such case',
        status: 404,
      });
    }
    res.json(found.state);
  }

  @Get('reports/registration')
  async getRegistrationReport(
    @Req() req: Request,
    @Res() res: Response,
    @Query('tenant') tenant?: string,
    @Query('month') month?: string,
    @Query('format') format?: string,
  ): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    const violations: { path: string; message: string }[] = [];
    const chosen = tenant ?? (principal.role === 'coordinator' ? principal.tenantId : undefined);
    if (!chosen || !this.tenantIds.has(chosen))
      violations.push({ path: 'tenant', message: 'must be a configured tenant' });
    if (!month || !MONTH.test(month)) violations.push({ path: 'month', message: 'must be YYYY-MM' });
    if (format !== undefined && format !== 'json' && format !== 'csv')
      violations.push({ path: 'format', message: 'must be json or csv' });
    if (violations.length) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:invalid-query',
        title: 'Invalid query',
        status: 400,
        violations,
      });
    }
    if (principal.role === 'coordinator' && chosen !== principal.tenantId) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Not your tenant',
        status: 403,
        detail: 'A coordinator reports on its own tenant only.',
      });
    }
    const report = await this.reports.report(chosen as string, month as string);
    if (format === 'csv' || (format === undefined && req.headers.accept?.includes('text/csv'))) {
      res
        .type('text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="registration-${chosen}-${month}.csv"`)
        .send(this.reports.toCsv(report));
      return;
    }
    res.json(report);
  }
}
