import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, ProblemException } from '@nazorg/http';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { Response } from 'express';
import { CoordinatorPrincipal } from './auth/ops-request';
import { Principal } from './auth/principal.decorator';
import { Roles } from './auth/roles.decorator';
import { TenantScopeService } from './auth/tenant-scope.service';
import { AlertsResponse, CaseResponse, RegistrationReportResponse } from './dto/aftercare.response';
import { RegistrationReportQuery } from './dto/registration-report.query';
import { OpsPrincipal } from './ops-credentials.service';
import { RegistrationReportService } from './registration-report.service';

/**
 * Aftercare views: deadline alerts (coordinator: own tenant with detention ids; operator: all
 * tenants, pseudonymised), one detention's case (its tenant's coordinator only) and the monthly
 * registration report (counts only; JSON or CSV).
 */
@ApiTags('aftercare')
@Controller('api/v1')
export class AftercareController {
  constructor(
    private readonly tenants: TenantScopeService,
    @Inject(CASE_STORE) private readonly cases: CaseStorePort,
    private readonly reports: RegistrationReportService,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {}

  @Get('alerts')
  @Roles('operator', 'coordinator')
  @ApiOperation({ summary: 'Deadline alerts: threatened or missed, with the due date' })
  @ApiOkResponse({ type: AlertsResponse })
  async getAlerts(@Principal() principal: OpsPrincipal): Promise<AlertsResponse> {
    const alerts = await this.cases.alerts(this.tenants.scope(principal, undefined), 500);
    return {
      items: alerts.map(({ erased, ...a }) => ({
        ...a,
        // Erased detentions already carry their keyed hash; operators never see a real id. (Decided
        // by the erasure, not by the id's look: a sender may choose an id that looks like a hash.)
        detentionId:
          principal.role === 'operator' && !erased
            ? this.pseudonymizer.pseudonym(a.detentionId)
            : a.detentionId,
      })),
    };
  }

  /** A case names the person: for its tenant's coordinator only. */
  @Get('detentions/:detentionId/case')
  @Roles('coordinator')
  @ApiOperation({ summary: "The aftercare case of one detention of the coordinator's tenant" })
  @ApiParam({ name: 'detentionId', description: 'the detention id' })
  @ApiOkResponse({ type: CaseResponse })
  @ApiProblemResponses([404, "No such case (or another tenant's)"])
  async getCase(
    @Principal('coordinator') coordinator: CoordinatorPrincipal,
    @Param('detentionId') detentionId: string,
  ): Promise<Record<string, unknown>> {
    const found = await this.cases.find(detentionId);
    // Another tenant's detention and an unknown one answer alike.
    if (!found || found.tenantId !== coordinator.tenantId) throw ProblemException.notFound('No such case');
    return found.state;
  }

  @Get('reports/registration')
  @Roles('operator', 'coordinator')
  @ApiOperation({ summary: 'The monthly registration figures of a tenant, as JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RegistrationReportResponse, description: 'JSON, or CSV rows `measure,key,value`' })
  @ApiProblemResponses([400, 'Invalid query (field-level violations)'])
  async getRegistrationReport(
    @Principal() principal: OpsPrincipal,
    @Query() query: RegistrationReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RegistrationReportResponse | string> {
    const tenant = this.tenants.oneTenant(principal, query.tenant);
    const report = await this.reports.report(tenant, query.month);
    if (query.format === 'csv' || (query.format === undefined && accept?.includes('text/csv'))) {
      res
        .type('text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="registration-${tenant}-${query.month}.csv"`);
      return this.reports.toCsv(report);
    }
    return report;
  }
}
