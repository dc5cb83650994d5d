import { Logger } from '@nestjs/common';
import { loggableError } from '@nazorg/privacy';
import { LeaderElectionPort } from './ports/leader-election.port';

export interface LeaderScheduleOptions {
  /** The election this job belongs to (one leader per role among all instances). */
  role: string;
  /** For log lines. */
  name: string;
  intervalMs: number;
  work: () => Promise<unknown>;
  /** Run at once on becoming the leader (default), or only on the interval. */
  runWhenElected?: boolean;
}

/**
 * A periodic job that runs in one instance only: at once when this instance becomes the leader of
 * its role (so a new leader catches up at start or on take-over; unless `runWhenElected` is false),
 * then every `intervalMs` while it still leads. One run at a time; a failing run is logged and the next one tries again.
 */
export class LeaderSchedule {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly leader: LeaderElectionPort,
    private readonly options: LeaderScheduleOptions,
  ) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    this.leader.onElected(this.options.role, () => {
      if (this.options.runWhenElected !== false) this.tick();
    });
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped || !this.leader.isLeader(this.options.role)) return;
    this.running ??= this.options
      .work()
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn(`run failed, will try again: ${loggableError(error)}`),
      )
      .finally(() => (this.running = undefined));
  }
}
