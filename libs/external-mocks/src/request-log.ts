import { Delete, Get, HttpCode, Injectable } from '@nestjs/common';

/** What each mocked system was asked, so tests can check what left the hub (data minimisation). */
@Injectable()
export class RequestLog {
  private readonly requests = new Map<string, unknown[]>();

  record(system: string, body: unknown): void {
    this.requests.set(system, [...(this.requests.get(system) ?? []), body]);
  }

  of(system: string): unknown[] {
    return this.requests.get(system) ?? [];
  }

  clear(system?: string): void {
    if (system) this.requests.delete(system);
    else this.requests.clear();
  }
}

/**
 * Base of every mock controller: `GET __requests` lists what the system was asked, `DELETE` clears it.
 * Nest inherits the routes; each subclass only names its system.
 */
export abstract class RecordingMockController {
  protected constructor(
    protected readonly log: RequestLog,
    private readonly system: string,
  ) {}

  protected record(body: unknown): void {
    this.log.record(this.system, body);
  }

  @Get('__requests')
  requests(): unknown[] {
    return this.log.of(this.system);
  }

  @Delete('__requests')
  @HttpCode(204)
  clear(): void {
    this.log.clear(this.system);
  }
}
