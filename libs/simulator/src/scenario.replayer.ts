import { Logger } from '@nestjs/common';
import { CloudEvent } from '@nazorg/contracts';
import { FeedSink } from './feed-sink.port';
import { FeedReport, PacedSender, Sleep } from './paced.sender';

export interface ReplayOptions {
  /** Events per second; absent: as fast as the sink accepts them. */
  rate?: number;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Sends a scenario's events as they are, in file order. Replaying the same file again sends the same
 * ids, which the hub recognises as duplicates: a replay is repeatable without doubling anything.
 */
export class ScenarioReplayer {
  private readonly logger = new Logger('Feed');
  private readonly sender: PacedSender;

  constructor(sink: FeedSink, options: ReplayOptions = {}) {
    this.sender = new PacedSender(sink, options);
  }

  stop(): void {
    this.sender.stop();
  }

  async replay(events: CloudEvent<object>[]): Promise<FeedReport> {
    for (const event of events) {
      if (!(await this.sender.send(event))) break;
    }
    this.logger.log(`replay ended: ${this.sender.summary()} of ${events.length} in the scenario`);
    return this.sender.report;
  }
}
