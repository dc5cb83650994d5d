import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Response } from 'express';
import { EXTERNAL_MOCKS_OPTIONS, ExternalMocksOptions } from './external-mocks.options';
import { Behaviour } from './mock-behaviour';
import { problem, ProblemDetails } from './problem-details';

/** Makes a mocked system slow or failing for the trigger BSNs and detention ids (mock-behaviour.ts). */
@Injectable()
export class FaultInjector implements OnModuleDestroy {
  private readonly waiting = new Set<() => void>();

  constructor(@Inject(EXTERNAL_MOCKS_OPTIONS) private readonly options: ExternalMocksOptions) {}

  /**
   * Waits first when the behaviour is slow; returns the problem to answer with when the system is to
   * fail, or undefined to answer normally.
   */
  async apply(behaviour: Behaviour, res: Response): Promise<ProblemDetails | undefined> {
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
    for (const release of this.waiting) release();
    this.waiting.clear();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.waiting.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.waiting.add(release);
    });
  }
}
