import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { Response } from 'express';
import { Public } from '@nazorg/http';
import { METRICS, MetricsPort } from './metrics.port';

/**
 * `GET /metrics` in the Prometheus text format, on apps with an HTTP server of their own. Public
 * like `/health` (a scraper has no operator token; labels never hold personal data), also in the
 * ops app, whose global guard otherwise refuses every route without roles.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: MetricsPort) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    res.status(200).type(contentType).send(body);
  }
}
