import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { TenantsFile } from '@nazorg/config';
import { BrokerDeadLettersService } from '@nazorg/delivery';
import { sendProblem } from '@nazorg/ingestion';
import { DATA_CIPHER, DataCipherPort, SEALED_DATA_REKEYER, SealedDataRekeyerPort } from '@nazorg/persistence';
import { DeadLettersService, DeadLetterStatus } from './dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { FlowStatsService } from './flow-stats.service';
import { OpsCredentialsService } from './ops-credentials.service';
import { coordinatorOnly, principalOf } from './ops-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operations API: watch every flow without seeing whom it is about. Operators see all tenants
 * (counts and pseudonymous ids only); a coordinator sees its own tenant. Every answer other than
 * 2xx is problem+json; the services behind it return typed outcomes and throw only on failures of
 * the infrastructure.
 */
@Controller('api/v1')
export class OperationsController {
  private readonly tenantIds: Set<string>;

  constructor(
    private readonly credentials: OpsCredentialsService,
    private readonly flows: FlowStatsService,
    private readonly disclosures: DisclosureLogService,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    private readonly deadLetters: DeadLettersService,
    @Inject(SEALED_DATA_REKEYER) private readonly sealedData: SealedDataRekeyerPort,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    tenants: TenantsFile,
  ) {
    this.tenantIds = new Set(tenants.tenants.map((t) => t.id));
  }

  /**
   * Counts per stage. `?tenant=` narrows an operator's view to one tenant; a coordinator sees its
   * own tenant whether it asks or not, and asking for another one is forbidden.
   */
  @Get('flows')
  async getFlows(
    @Req() req: Request,
    @Res() res: Response,
    @Query('since') since?: string,
    @Query('tenant') tenant?: string,
  ): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (principal.role === 'coordinator' && tenant !== undefined && tenant !== principal.tenantId) {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Not your tenant',
        status: 403,
        detail: 'A coordinator sees the flows of its own tenant only.',
      });
    }
    const from = since !== undefined ? new Date(since) : null;
    if (from && Number.isNaN(from.getTime()))
      return invalidQuery(res, 'since', 'must be an ISO 8601 timestamp');
    if (principal.role === 'operator' && tenant !== undefined && !this.tenantIds.has(tenant))
      return invalidQuery(res, 'tenant', 'is not a configured tenant');
    const scope = principal.role === 'coordinator' ? principal.tenantId : (tenant ?? null);
    const [stats, brokerDeadLetters] = await Promise.all([
      this.flows.stats(scope, from),
      this.brokerDeadLetters.counts(scope),
    ]);
    res.json({ ...stats, brokerDeadLetters });
  }

  /**
   * Encryption at rest: how many stored values each data key sealed (`clear`: from before sealing).
   * During a key rotation an operator removes the old key once it no longer appears here.
   */
  @Get('encryption')
  async getEncryption(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (principal.role !== 'operator') {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Operators only',
        status: 403,
        detail: 'Key management is an operator task.',
      });
    }
    res.json({ activeKey: this.cipher.activeKeyId, sealedValuesByKey: await this.sealedData.census() });
  }

  /** The disclosure log of one detention: for the coordinator of its tenant only (it names the person). */
  @Get('detentions/:detentionId/disclosures')
  async getDisclosures(
    @Req() req: Request,
    @Res() res: Response,
    @Param('detentionId') detentionId: string,
  ): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (
      !coordinatorOnly(
        principal,
        res,
        'Operators see pseudonymised data only; the disclosure log is queried by detention id.',
      )
    )
      return;
    const records = await this.disclosures.forDetention(detentionId, principal.tenantId);
    if (!records) return notFound(res, 'No such detention');
    res.json({ detentionId, records });
  }

  /** Rejected inputs, newest first, with their reasons and never their payload. */
  @Get('dead-letters')
  async listDeadLetters(
    @Req() req: Request,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('limit') limit = '50',
    @Query('offset') offset = '0',
  ): Promise<void> {
    if (!this.operatorOnly(req, res)) return;
    if (status !== undefined && status !== 'open' && status !== 'replayed' && status !== 'purged')
      return invalidQuery(res, 'status', 'must be open, replayed or purged');
    const items = await this.deadLetters.list({
      status: status as DeadLetterStatus | undefined,
      limit: Math.min(Math.max(Math.trunc(Number(limit)) || 50, 1), 500),
      offset: Math.max(Math.trunc(Number(offset)) || 0, 0),
    });
    res.json({ items });
  }

  @Post('dead-letters/:id/replay')
  async replay(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    if (!this.operatorOnly(req, res)) return;
    // Dead letter ids are UUIDs: anything else names none (and would be a query error).
    const result = UUID.test(id) ? await this.deadLetters.replay(id) : { outcome: 'not-found' as const };
    switch (result.outcome) {
      case 'not-found':
        return notFound(res, 'No such dead letter');
      case 'still-invalid':
        return sendProblem(res, {
          type: 'urn:nazorg-hub:problem:still-invalid',
          title: 'The event is still invalid',
          status: 422,
          violations: result.violations,
        });
      default:
        res.status(200).json({ id, outcome: result.outcome });
    }
  }

  /** Sends a queue's broker dead letters back for another round of attempts (operator only). */
  @Post('broker-dead-letters/:queue/replay')
  async replayBrokerDeadLetters(
    @Req() req: Request,
    @Res() res: Response,
    @Param('queue') queue: string,
  ): Promise<void> {
    if (!this.operatorOnly(req, res)) return;
    if (!this.brokerDeadLetters.isKnown(queue)) return notFound(res, 'No such queue');
    res.status(200).json({ queue, ...(await this.brokerDeadLetters.replay(queue)) });
  }

  private operatorOnly(req: Request, res: Response): boolean {
    const principal = principalOf(this.credentials, req, res);
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

function invalidQuery(res: Response, path: string, message: string): void {
  sendProblem(res, {
    type: 'urn:nazorg-hub:problem:invalid-query',
    title: 'Invalid query',
    status: 400,
    violations: [{ path, message }],
  });
}

function notFound(res: Response, title: string): void {
  sendProblem(res, { type: 'urn:nazorg-hub:problem:not-found', title, status: 404 });
}
