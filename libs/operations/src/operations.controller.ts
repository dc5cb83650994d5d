import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { BrokerDeadLettersService } from '@nazorg/delivery';
import { ApiProblemResponses, ProblemException } from '@nazorg/http';
import {
  CASE_STORE,
  CaseStorePort,
  DATA_CIPHER,
  DataCipherPort,
  SEALED_DATA_REKEYER,
  SealedDataRekeyerPort,
} from '@nazorg/persistence';
import { CoordinatorPrincipal } from './auth/ops-request';
import { Principal } from './auth/principal.decorator';
import { Roles } from './auth/roles.decorator';
import { TenantScopeService } from './auth/tenant-scope.service';
import { DeadLettersService } from './dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { DeadLettersQuery } from './dto/dead-letters.query';
import {
  BrokerDeadLetterReplayResponse,
  DeadLetterListResponse,
  DeadLetterReplayResponse,
} from './dto/dead-letters.response';
import { DisclosuresResponse } from './dto/disclosures.response';
import { EncryptionResponse } from './dto/encryption.response';
import { FlowsQuery } from './dto/flows.query';
import { FlowsResponse, ParkedProjectionsRetryResponse } from './dto/flows.response';
import { FlowStatsService } from './flow-stats.service';
import { OpsPrincipal } from './ops-credentials.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operations API: watch every flow without seeing whom it is about. Operators see all tenants
 * (counts and pseudonymous ids only); a coordinator sees its own tenant. Credentials and roles are
 * OpsAuthGuard's, queries are validated DTOs, refusals are ProblemExceptions (problem+json by the
 * global filter); the services behind it return typed outcomes.
 */
@ApiTags('operations')
@Controller('api/v1')
export class OperationsController {
  constructor(
    private readonly tenants: TenantScopeService,
    private readonly flows: FlowStatsService,
    private readonly disclosures: DisclosureLogService,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    private readonly deadLetters: DeadLettersService,
    @Inject(SEALED_DATA_REKEYER) private readonly sealedData: SealedDataRekeyerPort,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    @Inject(CASE_STORE) private readonly cases: CaseStorePort,
  ) {}

  @Get('flows')
  @Roles('operator', 'coordinator')
  @ApiOperation({ summary: 'Counts per stage; a coordinator sees its own tenant only' })
  @ApiOkResponse({ type: FlowsResponse })
  @ApiProblemResponses([400, 'Invalid query (field-level violations)'])
  async getFlows(@Principal() principal: OpsPrincipal, @Query() query: FlowsQuery): Promise<FlowsResponse> {
    const scope = this.tenants.scope(principal, query.tenant);
    const since = query.since !== undefined ? new Date(query.since) : null;
    const [stats, brokerDeadLetters] = await Promise.all([
      this.flows.stats(scope, since),
      this.brokerDeadLetters.counts(scope),
    ]);
    return { ...stats, brokerDeadLetters };
  }

  /** During a key rotation an operator removes the old key once it no longer appears here. */
  @Get('encryption')
  @Roles('operator')
  @ApiOperation({
    summary: 'The active ring key and how many stored values each ring key protects (ADR 0008, 0026)',
  })
  @ApiOkResponse({ type: EncryptionResponse })
  async getEncryption(): Promise<EncryptionResponse> {
    return { activeKey: this.cipher.activeKeyId, sealedValuesByKey: await this.sealedData.census() };
  }

  /** For the coordinator of its tenant only: the disclosure log names the person. */
  @Get('detentions/:detentionId/disclosures')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Who received which fields about one detention, when, why and on which ground' })
  @ApiParam({ name: 'detentionId', description: 'the detention id' })
  @ApiOkResponse({ type: DisclosuresResponse })
  @ApiProblemResponses([404, "No such detention (or another tenant's)"])
  async getDisclosures(
    @Principal('coordinator') coordinator: CoordinatorPrincipal,
    @Param('detentionId') detentionId: string,
  ): Promise<DisclosuresResponse> {
    const records = await this.disclosures.forDetention(detentionId, coordinator.tenantId);
    if (!records) throw ProblemException.notFound('No such detention');
    return { detentionId, records };
  }

  /** Dead letters may belong to no tenant: operators only. */
  @Get('dead-letters')
  @Roles('operator')
  @ApiOperation({ summary: 'Rejected inputs, newest first, with their reasons and never their payload' })
  @ApiOkResponse({ type: DeadLetterListResponse })
  @ApiProblemResponses([400, 'Invalid query (field-level violations)'])
  async listDeadLetters(@Query() query: DeadLettersQuery): Promise<DeadLetterListResponse> {
    return { items: await this.deadLetters.list(query) };
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Re-submits a dead letter through the ingestion pipeline' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DeadLetterReplayResponse })
  @ApiProblemResponses([404, 'No such dead letter'], [422, 'Still invalid (the violations)'])
  async replay(@Param('id') id: string): Promise<DeadLetterReplayResponse> {
    // Dead letter ids are UUIDs: anything else names none (404, as any unknown id).
    const result = UUID.test(id) ? await this.deadLetters.replay(id) : { outcome: 'not-found' as const };
    switch (result.outcome) {
      case 'not-found':
        throw ProblemException.notFound('No such dead letter');
      case 'still-invalid':
        throw new ProblemException({
          type: 'urn:nazorg-hub:problem:still-invalid',
          title: 'The event is still invalid',
          status: 422,
          violations: result.violations,
        });
      default:
        return { id, outcome: result.outcome };
    }
  }

  @Post('broker-dead-letters/:queue/replay')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: "Moves a recipient queue's broker dead letters back for another round" })
  @ApiParam({ name: 'queue', example: 'recipient.brp-eemland-zuid' })
  @ApiOkResponse({ type: BrokerDeadLetterReplayResponse })
  @ApiProblemResponses([404, 'No such queue'])
  async replayBrokerDeadLetters(@Param('queue') queue: string): Promise<BrokerDeadLetterReplayResponse> {
    if (!this.brokerDeadLetters.isKnown(queue)) throw ProblemException.notFound('No such queue');
    return { queue, ...(await this.brokerDeadLetters.replay(queue)) };
  }

  @Post('case-projections/parked/retry')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary: 'Asks again for every parked case projection (see /flows projectionFailures), e.g. after a fix',
  })
  @ApiOkResponse({ type: ParkedProjectionsRetryResponse })
  async retryParkedProjections(): Promise<ParkedProjectionsRetryResponse> {
    return { retried: await this.cases.retryParkedProjections() };
  }
}
