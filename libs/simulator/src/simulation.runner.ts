import { Logger } from '@nestjs/common';
import { CloudEvent } from '@nazorg/contracts';
import { FeedSink } from './feed-sink.port';
import { LifecycleGenerator } from './lifecycle.generator';

export interface SimulationOptions {
  /** Events per second. */
  rate: number;
  seed: number;
  /** Stop after this many events (unlimited when absent). */
  count?: number;
  /** Lifecycles in progress at once; their events interleave, each detention's in order. */
  concurrentLifecycles?: number;
}

/**
 * Plays many detention lifecycles at once, compressed in time, at a steady rate. Logs counts and
 * types only, never who an event is about.
 */
export class SimulationRunner {
  private readonly logger = new Logger(SimulationRunner.name);
  private stopped = false;
  readonly sentByType = new Map<string, number>();

  constructor(
    private readonly sink: FeedSink,
    private readonly options: SimulationOptions,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<number> {
    const generator = new LifecycleGenerator(this.options.seed);
    const active: CloudEvent<object>[][] = [];
    const pool = this.options.concurrentLifecycles ?? 20;
    const interval = 1000 / this.options.rate;
    let sent = 0;
    let nextAt = Date.now();
    while (!this.stopped && (this.options.count === undefined || sent < this.options.count)) {
      while (active.length < pool) active.push([...generator.next().events]);
      const index = Math.floor(Math.random() * active.length);
      const event = active[index].shift() as CloudEvent<object>;
      if (active[index].length === 0) active.splice(index, 1);
      try {
        await this.sink.send({ ...event, time: new Date().toISOString() });
        sent++;
        this.sentByType.set(event.type, (this.sentByType.get(event.type) ?? 0) + 1);
        if (sent % 100 === 0) this.logger.log(`sent ${sent} events`);
      } catch (error) {
        this.logger.warn(`sending failed (${(error as Error).message}); retrying`);
        active.unshift([event]);
        await sleep(1000);
      }
      nextAt += interval;
      await sleep(Math.max(0, nextAt - Date.now()));
    }
    return sent;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
