import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '@nazorg/http';
import { Request, Response } from 'express';
import { extractTraceContext, inSpan, SpanKind } from '@nazorg/observability';
import { IngestionService } from '../ingestion.service';
import { IngestCredentials } from './ingest-credentials';
import { IntakeGate } from './intake.gate';
import { Problems, sendProblem } from './problem-details';

/**
 * HTTP ingress (CONTRACT section 2): `202` once the event is durably stored (or was already),
 * `400` problem+json listing every violation (the event is kept as a dead letter), `409` the same
 * for an event that contradicts what is known of its detention (ADR 0014), `401`/`403` for a
 * missing, wrong or other-source credential, `503` + Retry-After for a new start while its
 * detention's withdrawal is still going out.
 */
/** CONTRACT section 2: structured CloudEvents, either media type, optionally with a charset of UTF-8. */
const JSON_CONTENT_TYPE = /^application\/(cloudevents\+)?json\s*(;\s*charset=("?)utf-8\3\s*)?$/i;

/** The OpenAPI security scheme of the ingest credentials (one token per feed source). */
export const INGEST_BEARER = 'ingest-token';

@ApiTags('ingest')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly credentials: IngestCredentials,
    private readonly gate: IntakeGate,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submits one event (CloudEvents 1.0, CONTRACT section 1); stored once, then routed',
  })
  @ApiBearerAuth(INGEST_BEARER)
  @ApiConsumes('application/cloudevents+json', 'application/json')
  @ApiBody({
    description: 'A CloudEvent envelope; the body is kept byte for byte, also when invalid (dead letter)',
    schema: {
      type: 'object',
      required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'],
      properties: {
        specversion: { type: 'string', enum: ['1.0'] },
        id: { type: 'string' },
        source: { type: 'string' },
        type: { type: 'string', example: 'nl.dji.injus.detention.started.v1' },
        subject: { type: 'string', description: 'the detention id' },
        time: { type: 'string', format: 'date-time' },
        datacontenttype: { type: 'string' },
        dataschema: { type: 'string' },
        data: { type: 'object' },
      },
    },
  })
  @ApiAcceptedResponse({
    description: 'Stored (or already stored: `duplicate`)',
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['accepted', 'duplicate'] },
        routing: { type: 'string' },
      },
      required: ['status'],
    },
  })
  @ApiProblemResponses(
    [400, 'Invalid event: every violation by JSON path; kept as a dead letter (`deadLetterId`)'],
    [401, 'No or an unknown ingest credential'],
    [403, "The credential belongs to another source than the event's"],
    [413, 'Body over 2 MiB (not kept)'],
    [
      503,
      'Not stored now (this hub is stopping, or a withdrawal of the detention is going out): send again after Retry-After',
    ],
  )
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.gate.isOpen) {
      res.setHeader('retry-after', '5');
      return sendProblem(res, Problems.stopping());
    }
    const allowedSource = this.credentials.sourceFor(req.headers.authorization);
    if (!allowedSource) return sendProblem(res, Problems.unauthorized());
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '')) {
      const violations = [
        { path: '$', message: 'content type must be application/cloudevents+json or application/json' },
      ];
      const deadLetterId = await this.ingestion.refuse(body, 'http', violations);
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:unsupported-media-type',
        title: 'Unsupported content type',
        status: 415,
        detail: `Send the CloudEvent as application/cloudevents+json or application/json; the body is kept for operations (dead letter ${deadLetterId}).`,
        violations,
        deadLetterId,
      });
    }
    const result = await inSpan(
      'ingest http',
      {
        kind: SpanKind.SERVER,
        parent: extractTraceContext(req.headers),
        attributes: { 'http.route': req.path },
      },
      () => this.ingestion.ingest(body, 'http', { allowedSources: [allowedSource] }),
    );
    switch (result.outcome) {
      case 'stored':
        res.status(202).json({ status: 'accepted', routing: result.routingStatus });
        return;
      case 'duplicate':
        res.status(202).json({ status: 'duplicate' });
        return;
      case 'forbidden':
        return sendProblem(res, Problems.forbidden());
      case 'rejected':
        return sendProblem(res, {
          type: 'urn:nazorg-hub:problem:invalid-event',
          title: 'Invalid event',
          status: 400,
          detail: `${result.violations.length} violation(s); the event is kept for operations (dead letter ${result.deadLetterId}).`,
          violations: result.violations,
          deadLetterId: result.deadLetterId,
        });
      case 'deferred':
        // The detention's withdrawal is still going out; a moment later the start begins anew.
        res.setHeader('retry-after', '2');
        return sendProblem(res, {
          type: 'urn:nazorg-hub:problem:withdrawal-pending',
          title: "The detention's withdrawal is still being carried out",
          status: 503,
          detail: 'Nothing was stored; send the event again shortly.',
          violations: result.violations,
        });
      case 'conflict':
        // Valid on its own, but not with what the hub knows of the detention: the same event may
        // pass once the facts are corrected (RFC 9110 409: a conflict with the resource's state).
        return sendProblem(res, {
          type: 'urn:nazorg-hub:problem:inconsistent-event',
          title: 'Event contradicts what is known of its detention',
          status: 409,
          detail: `${result.violations.length} violation(s); the event is kept for operations (dead letter ${result.deadLetterId}).`,
          violations: result.violations,
          deadLetterId: result.deadLetterId,
        });
    }
  }
}
