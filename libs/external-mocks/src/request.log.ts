import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EXTERNAL_MOCKS_OPTIONS, ExternalMocksOptions } from './external-mocks.options';

/** The systems mocked here, by the path they are served under. */
export const MOCK_SYSTEMS = {
  brp: 'haalcentraal/api/brp',
  suwinet: 'suwinet',
  schuldhulp: 'schuldhulp',
  zorg: 'zorg',
} as const;
export type MockSystem = keyof typeof MOCK_SYSTEMS;

export interface RecordedRequest {
  receivedAt: string;
  method: string;
  path: string;
  body: unknown;
}

/**
 * What each mocked system was asked, so tests can check what left the hub (data minimisation).
 * Bounded per system, because the mocks also run for hours under simulated traffic.
 */
@Injectable()
export class RequestLog implements OnApplicationShutdown {
  private readonly logger = new Logger(RequestLog.name);
  private readonly requests = new Map<MockSystem, RecordedRequest[]>();
  private readonly totals = new Map<MockSystem, number>();

  constructor(@Inject(EXTERNAL_MOCKS_OPTIONS) private readonly options: ExternalMocksOptions) {}

  record(system: MockSystem, request: Omit<RecordedRequest, 'receivedAt'>): void {
    const kept = this.requests.get(system) ?? [];
    kept.push({ receivedAt: new Date().toISOString(), ...request });
    if (kept.length > this.options.maxRecordedRequests)
      kept.splice(0, kept.length - this.options.maxRecordedRequests);
    this.requests.set(system, kept);
    this.totals.set(system, (this.totals.get(system) ?? 0) + 1);
  }

  of(system: MockSystem): RecordedRequest[] {
    return [...(this.requests.get(system) ?? [])];
  }

  clear(system?: MockSystem): void {
    if (system) this.requests.delete(system);
    else this.requests.clear();
  }

  /** Counts only: the requests themselves hold personal data and never reach a log. */
  onApplicationShutdown(): void {
    const counts = Object.keys(MOCK_SYSTEMS).map((s) => `${s} ${this.totals.get(s as MockSystem) ?? 0}`);
    this.logger.log(`requests received: ${counts.join(', ')}`);
  }
}
