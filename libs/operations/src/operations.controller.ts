import { Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { IngestionService, Problems, sendProblem } from '@nazorg/ingestion';
import { DEAD_LETTER_STORE, DeadLetterStorePort } from '@nazorg/persistence';
import { BrokerDeadLettersService } from './broker-dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { FlowStatsService } from './flow-stats.service';
import { OpsCredentials, OpsPrincipal } from './ops-credentials';

/**
 * The operations API: watch every flow without seeing whom it is about. Operators see all tenants
 * (counts and pseudonymous ids only); a coordinator sees its own tenant.
 */
@Controller('api/v1')
export class OperationsController {
  constructor(
    private readonly credentials: OpsCredentials,
    private readonly flows: FlowStatsService,
    private readonly disclosures: DisclosureLogService,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    private readonly ingestion: IngestionService,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
  ) {}

  @Get('flows')
  async getFlows(@Req() req: Request, @Res() res: Response, @Query('since') since?: string): Promise<void> {
    const principal = this.authenticate(req, res);
    if (!principal) return;
    const from = since ? new Date(since) : null;
    if (from && Number.isNaN(from.getTime())) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:invalid-query',
        title: 'Invalid query',
        status: 400,
        violations: [{ path: 'since', message: 'must be an ISO 8601 timestamp' }],
      });
    }
    const tenant = principal.role === 'coordinator' ? principal.tenantId : null;
    const [stats, brokerDeadLetters] = await Promise.all([
      this.flows.stats(tenant, from),
      this.brokerDeadLetters.counts(tenant),
    ]);
    res.json({ ...stats, brokerDeadLetters });
  }

  /** The disclosure log of one detention: for the coordinator of its tenant only (it names the person). */
  @Get('detentions/:detentionId/disclosures')
  async getDisclosures(
    @Req() req: Request,
    @Res() res: Response,
    @Param('detentionId') detentionId: string,
  ): Promise<void> {
    const principal = this.authenticate(req, res);
    if (!principal) return;
    if (principal.role !== 'coordinator') {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Coordinators only',
        status: 403,
        detail: 'Operators see pseudonymised data only; the disclosure log is queried by detention id.',
      });
    }
    const records = await this.disclosures.forDetention(detentionId, principal.tenantId);
    if (!records) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:not-found',
        title: 'No such detention',
        status: 404,
      });
    }
    res.json({ detentionId, records });
  }

  @Get('dead-letters')
  async listDeadLetters(
    @Req() req: Request,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('limit') limit = '50',
    @Query('offset') offset = '0',
  ): Promise<void> {
    if (!this.operatorOnly(req, res)) return;
    const items = await this.deadLetters.list({
      status,
      limit: Math.min(Math.max(Number(limit) || 50, 1), 500),
      offset: Math.max(Number(offset) || 0, 0),
    });
    res.json({ items });
  }

  @Post('dead-letters/:id/replay')
  async replay(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    if (!this.operatorOnly(req, res)) return;
    const stored = await this.deadLetters.payloadOf(id);
    if (!stored) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:not-found',
        title: 'No such dead letter',
        status: 404,
      });
    }
    const result = await this.ingestion.ingest(stored.payload, 'replay', { keepRejected: false });
    if (result.outcome === 'rejected') {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:still-invalid',
        title: 'The event is still invalid',
        status: 422,
        violations: result.violations,
      });
    }
    await this.deadLetters.markReplayed(id);
    res.status(200).json({ id, outcome: result.outcome });
  }

  /** Sends a queue's broker dead letters back for another round of attempts (operator only). */
  @Post('broker-dead-letters/:queue/replay')
  async replayBrokerDeadLetters(@Req() req: Request, @Res() res: Response, @Param('queue') queue: string) {
    if (!this.operatorOnly(req, res)) return;
    if (!this.brokerDeadLetters.isKnown(queue)) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:not-found',
        title: 'No such queue',
        status: 404,
      });
    }
    res.status(200).json({ queue, moved: await this.brokerDeadLetters.replay(queue) });
  }

  private authenticate(req: Request, res: Response): OpsPrincipal | undefined {
    const principal = this.credentials.principalFor(req.headers.authorization);
    if (!principal) sendProblem(res, Problems.unauthorized());
    return principal;
  }

  private operatorOnly(req: Request, res: Response): boolean {
    const principal = this.authenticate(req, res);
    if (!principal) return false;
    if (principal.role !== 'operator') {
      sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Operators only',
        status: 403,
        detail: 'Dead letters may belong to no tenant; only operators see them.',
      });
      return false;
    }
    return true;
  }
}
