import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '@nazorg/http';
import { Response } from 'express';
import { accessRequestDocument } from './access-request.document';
import { AccessReport, AccessRequestService } from './access-request.service';
import { CoordinatorPrincipal } from './auth/ops-request';
import { Principal } from './auth/principal.decorator';
import { Roles } from './auth/roles.decorator';
import { AccessRequestBody, AccessRequestResponse } from './dto/access-request.dto';

/**
 * A citizen's access request (AVG art. 15), answered by the coordinator of the person's tenant:
 * which organisations received which data, when, why and on which legal ground, across all the
 * person's detentions in that tenant. POST with the BSN in the body, so it is in no URL or log.
 */
@ApiTags('privacy')
@Controller('api/v1/access-requests')
export class AccessRequestController {
  constructor(private readonly requests: AccessRequestService) {}

  @Post()
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: "What the hub disclosed about one person (by BSN) in the coordinator's tenant" })
  @ApiBody({ type: AccessRequestBody })
  @ApiOkResponse({ type: AccessRequestResponse })
  @ApiProblemResponses([400, 'Not a BSN (field-level violations, never the value)'])
  answer(
    @Principal('coordinator') coordinator: CoordinatorPrincipal,
    @Body() body: AccessRequestBody,
  ): Promise<AccessReport> {
    return this.requests.forPerson(body.bsn, coordinator.tenantId);
  }

  @Post('document')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'The same answer as a printable HTML document, for the person' })
  @ApiBody({ type: AccessRequestBody })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A self-contained, printable HTML page', schema: { type: 'string' } })
  @ApiProblemResponses([400, 'Not a BSN (field-level violations, never the value)'])
  async document(
    @Principal('coordinator') coordinator: CoordinatorPrincipal,
    @Body() body: AccessRequestBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const report = await this.requests.forPerson(body.bsn, coordinator.tenantId);
    // Personal data: not to be kept by a proxy or the browser's cache.
    res.type('text/html; charset=utf-8').setHeader('cache-control', 'no-store');
    return accessRequestDocument(report);
  }
}
