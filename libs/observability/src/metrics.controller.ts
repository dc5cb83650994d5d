import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { Response } from 'express';
import { METRICS, MetricsPort } from './metrics.port';

/** `GET /metrics` in the Prometheus text format, on apps with an HTTP server of their own. */
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
