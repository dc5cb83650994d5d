import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Whether the hub takes new events over HTTP. A graceful stop closes it first (before the HTTP
 * server and the consumers stop), so a client hears `503` + Retry-After and sends the event to
 * another hub or again later, instead of having its connection cut mid-request.
 */
@Injectable()
export class IntakeGate implements BeforeApplicationShutdown {
  private open = true;

  get isOpen(): boolean {
    return this.open;
  }

  close(): void {
    this.open = false;
  }

  beforeApplicationShutdown(): void {
    this.close();
  }
}
