import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Response } from 'express';
import { EXTERNAL_MOCKS_OPTIONS, ExternalMocksOptions } from './external-mocks.options';
import { Behaviour } from './mock-behaviour';
import { problem, ProblemDetails } from './problem-details';

/**
 * What every mocked system does whatever the request (`PUT /__faults`, for the fault suite): answer
 * normally, answer `500`, or hold the request without answering (the caller times out).
 */
export type ForcedFault = 'none' | 'error' | 'hang';

/** Holding a request longer than this is never needed: every client times out well before. */
const HANG_MAX_MS = 120_000;

/**
 * Makes a mocked system slow or failing for the trigger BSNs and detention ids (mock-behaviour.ts),
 * or every request while a fault is forced.
 */
@Injectable()
export class FaultInjector implements OnModuleDestroy {
  private readonly waiting = new Set<() => void>();
  private readonly hanging = new Set<() => void>();
  private forcedFault: ForcedFault = 'none';

  get forced(): ForcedFault {
    return this.forcedFault;
  }

  /** Forces a fault on every system until set back to `none` (held requests are then answered). */
  force(fault: ForcedFault): void {
    this.forcedFault = fault;
    if (fault !== 'hang') {
      for (const release of this.hanging) release();
      this.hanging.clear();
    }
  }

  constructor(@Inject(EXTERNAL_MOCKS_OPTIONS) private readonly options: ExternalMocksOptions) {}

  /**
   * Waits first when the behaviour is slow; returns the problem to answer with when the system is to
   * fail, or undefined to answer normally.
   */
  async apply(behaviour: Behaviour, res: Response): Promise<ProblemDetails | undefined> {
    if (this.forcedFault === 'hang') await this.delay(HANG_MAX_MS, this.hanging);
    if (this.forcedFault === 'error') return problem(res, 500, 'Internal Server Error');
    if (behaviour === 'slow') await this.delay(this.options.slowAnswerMs);
    if (behaviour === 'unavailable') {
      res.setHeader('Retry-After', '5');
      return problem(res, 503, 'Service Unavailable', { detail: 'The system is temporarily unavailable.' });
    }
    if (behaviour === 'error') return problem(res, 500, 'Internal Server Error');
    return undefined;
  }

  /** A slow answer must not hold up shutdown (tests close the mocks while requests still wait). */
  onModuleDestroy(): void {
    for (const release of [...this.waiting, ...this.hanging]) release();
    this.waiting.clear();
    this.hanging.clear();
  }

  private delay(ms: number, waiting = this.waiting): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        waiting.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      waiting.add(release);
    });
  }
}
