import { Injectable } from '@nestjs/common';

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
