import { Delete, Get, HttpCode } from '@nestjs/common';
import { Request } from 'express';
import { MockSystem, RecordedRequest, RequestLog } from './request.log';

/**
 * Base of every mock controller: `GET /<system>/__requests` lists what the system was asked,
 * `DELETE` forgets it. Nest inherits the routes; each subclass only names its system.
 */
export abstract class RecordingMockController {
  protected constructor(
    protected readonly log: RequestLog,
    private readonly system: MockSystem,
  ) {}

  /** Records before validating, so tests also see requests the system refused. */
  protected record(req: Request): void {
    this.log.record(this.system, { method: req.method, path: req.originalUrl, body: req.body as unknown });
  }

  @Get('__requests')
  requests(): RecordedRequest[] {
    return this.log.of(this.system);
  }

  @Delete('__requests')
  @HttpCode(204)
  clear(): void {
    this.log.clear(this.system);
  }
}
