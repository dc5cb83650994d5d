import { Inject, Injectable, Logger } from '@nestjs/common';
import { FEED_SINK, FeedSink, ScenarioReader, ScenarioReplayer, SimulationRunner } from '@nazorg/simulator';
import { FeedCommand } from './feed-options';

/** Runs one feed command against the bound sink, until done or stopped. */
@Injectable()
export class FeedRunner {
  private readonly logger = new Logger('Feed');
  private job?: { stop(): void };
  private stopRequested = false;

  constructor(@Inject(FEED_SINK) private readonly sink: FeedSink) {}

  async run(command: FeedCommand): Promise<void> {
    if (command.mode === 'simulate') {
      const runner = new SimulationRunner(this.sink, {
        rate: command.rate,
        seed: command.seed,
        count: command.count,
      });
      this.track(runner);
      this.logger.log(
        `simulating ${command.rate} events/s into ${command.sink}, seed ${command.seed}` +
          (command.count ? `, ${command.count} events` : ', until stopped'),
      );
      await runner.run();
    } else {
      const events = new ScenarioReader().read(command.file);
      const replayer = new ScenarioReplayer(this.sink, { rate: command.rate });
      this.track(replayer);
      this.logger.log(`replaying ${events.length} events from ${command.file} into ${command.sink}`);
      await replayer.replay(events);
    }
  }

  /** Stops after the event being sent; `run` then resolves. */
  stop(): void {
    this.stopRequested = true;
    this.job?.stop();
  }

  private track(job: { stop(): void }): void {
    this.job = job;
    if (this.stopRequested) job.stop();
  }
}
