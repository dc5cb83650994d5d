import { Logger } from '@nestjs/common';
import { DetentionEvent } from '@nazorg/contracts';
import { FeedSink } from './feed-sink.port';
import { emittedAt, LifecycleGenerator, LifecycleGeneratorOptions } from './lifecycle.generator';
import { FeedReport, PacedSender, Sleep } from './paced.sender';
import { SeededRandom } from './random';

export interface SimulationOptions {
  /** Events per second. */
  rate: number;
  seed: number;
  /** Stop after this many events (unlimited when absent). */
  count?: number;
  /** Lifecycles in progress at once, their events interleaved (default 50). */
  concurrency?: number;
  /** Passed to the generator (shares of withdrawals and repeats). */
  lifecycles?: Omit<LifecycleGeneratorOptions, 'now'>;
  progressEvery?: number;
  /** Clock and sleep, replaceable in tests. */
  now?: () => number;
  sleep?: Sleep;
}

export interface SimulationReport extends FeedReport {
  /** Lifecycles begun (their `detention.started` sent). */
  lifecycles: number;
}

/**
 * Plays many detention lifecycles at once at a steady rate: each next event comes from a lifecycle
 * picked at random among those in progress, so detentions interleave as in a real feed while each
 * detention's own events keep their order. Time is compressed: an event reports the moment it is
 * emitted. The same seed gives the same lifecycles in the same interleaving.
 */
export class SimulationRunner {
  private readonly logger = new Logger('Feed');
  private readonly sender: PacedSender;
  private readonly generator: LifecycleGenerator;
  private readonly interleaving: SeededRandom;

  constructor(
    sink: FeedSink,
    private readonly options: SimulationOptions,
  ) {
    const now = options.now ?? Date.now;
    this.sender = new PacedSender(sink, {
      rate: options.rate,
      progressEvery: options.progressEvery,
      now,
      sleep: options.sleep,
    });
    this.generator = new LifecycleGenerator(options.seed, {
      ...options.lifecycles,
      now: () => new Date(now()),
    });
    // A stream of its own, so the lifecycles for a seed are the same as the generator's alone.
    this.interleaving = new SeededRandom(options.seed ^ 0x5bd1e995);
  }

  /** Ends the run after the event being sent (or at once, when waiting). */
  stop(): void {
    this.sender.stop();
  }

  async run(): Promise<SimulationReport> {
    const { count, concurrency = 50 } = this.options;
    const active: DetentionEvent[][] = [];
    const done = () => this.sender.report.sent + this.sender.report.refused;
    while (!this.sender.stopped && (count === undefined || done() < count)) {
      while (active.length < concurrency) active.push([...this.generator.next().events]);
      const index = this.interleaving.int(0, active.length - 1);
      const queue = active[index];
      if (!(await this.sender.send(queue[0], emittedAt))) break;
      queue.shift();
      if (queue.length === 0) active.splice(index, 1);
    }
    this.logger.log(`simulation ended: ${this.sender.summary()}`);
    return { ...this.sender.report, lifecycles: this.sender.report.byType['detention.started'] ?? 0 };
  }
}
