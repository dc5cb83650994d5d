import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { loggableError } from '@nazorg/privacy';

/** What one pass of the work found: more to do at once, nothing left, or a failure to back off from. */
export type WorkPass = 'more' | 'idle' | 'failing';

export interface NotifiedWorkLoopOptions {
  /** For log lines. */
  name: string;
  /** The PostgreSQL channel a storing transaction NOTIFYs on commit. */
  channel: string;
  databaseUrl: string;
  /** The safety-net poll when no notification comes. */
  pollMs: number;
  /** First back-off after a failing pass; it doubles per failure up to 30 s. */
  retryBaseMs: number;
  /**
   * Passes run side by side (default 1), each its own loop. A notification wakes one sleeping
   * pass; a pass that finds more to do wakes one more, so passes join as the work grows (ADR 0028).
   */
  concurrency?: number;
  pass: () => Promise<WorkPass>;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Works off a queue kept in PostgreSQL (the outbox, the case refresh queue): woken at once by
 * LISTEN/NOTIFY, polled as a safety net (so a missed notification only costs latency), and backing
 * off while passes fail. A pass that throws is a failing pass; the loop itself never stops on it.
 */
export class NotifiedWorkLoop {
  private readonly logger: Logger;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  /** A notification came while no pass slept. */
  private missedWake = false;
  private listener?: Client;

  constructor(private readonly options: NotifiedWorkLoopOptions) {
    this.logger = new Logger(options.name);
  }

  /** Started and not stopped (readiness). */
  isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loops = Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, (_, i) =>
      this.run(i === 0),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    await this.listener?.end().catch(() => undefined);
  }

  private wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /**
   * One sleeping pass (if any) goes to work. Waking them all for each notification sent every pass
   * but one to find nothing: a claim that finds nothing still reads the whole queue's head (in a
   * burst, two of three relay claims were empty).
   */
  private wakeOne(notified: boolean): void {
    const first = this.sleepers.values().next();
    if (!first.done) first.value();
    // Notified while every pass is at work: the next to finish looks again instead of sleeping (its
    // look may have come before this notification's commit, which cost a whole poll interval).
    else if (notified) this.missedWake = true;
  }

  /** `polls`: this pass also looks when nothing woke it (one is enough as the safety net). */
  private async run(polls: boolean): Promise<void> {
    let failures = 0;
    while (this.running) {
      // The others sleep until a notification or a busy pass wakes them: three relay passes
      // polling each second were most of what an idle hub did.
      let delay: number | undefined = polls ? this.options.pollMs : undefined;
      let outcome: WorkPass;
      try {
        outcome = await this.options.pass();
      } catch (error) {
        outcome = 'failing';
        this.logger.warn(`pass failed: ${loggableError(error)}`);
      }
      if (outcome === 'failing') {
        failures++;
        delay = Math.min(this.options.retryBaseMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
        this.logger.warn(`retrying in ${delay} ms`);
      } else {
        failures = 0;
        if (outcome === 'more') {
          this.wakeOne(false);
          continue;
        }
      }
      if (!this.running) break;
      if (outcome === 'idle' && this.missedWake) {
        this.missedWake = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.sleepers.delete(wake);
          resolve();
        };
        const timer = delay === undefined ? undefined : setTimeout(wake, delay);
        this.sleepers.add(wake);
      });
    }
  }

  private async listen(): Promise<void> {
    try {
      this.listener = new Client({ connectionString: this.options.databaseUrl });
      this.listener.on('notification', () => this.wakeOne(true));
      this.listener.on('error', (error) => this.logger.warn(`listener: ${loggableError(error)}`));
      await this.listener.connect();
      await this.listener.query(`listen ${this.options.channel}`);
    } catch (error) {
      // Polling still does all the work, only later.
      this.logger.warn(`listener unavailable, polling only: ${loggableError(error)}`);
    }
  }
}
