import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { IngestionService } from '../ingestion.service';
import { IngestCredentials } from './ingest-credentials';
import { Problems, sendProblem } from './problem-details';

/**
 * HTTP ingress (CONTRACT section 2): `202` once the event is durably stored (or was already),
 * `400` problem+json listing every violation (the event is kept as a dead letter), `401`/`403`
 * for a missing, wrong or other-source credential.
 */
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly credentials: IngestCredentials,
  ) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    const allowedSource = this.credentials.sourceFor(req.headers.authorization);
    if (!allowedSource) return sendProblem(res, Problems.unauthorized());
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await this.ingestion.ingest(body, 'http', { allowedSources: [allowedSource] });
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
    }
  }
}
