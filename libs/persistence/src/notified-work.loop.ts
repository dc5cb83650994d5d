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
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failures = 0;

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
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.options.pollMs;
      let outcome: WorkPass;
      try {
        outcome = await this.options.pass();
      } catch (error) {
        outcome = 'failing';
        this.logger.warn(`pass failed: ${loggableError(error)}`);
      }
      if (outcome === 'failing') {
        this.failures++;
        delay = Math.min(this.options.retryBaseMs * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
        this.logger.warn(`retrying in ${delay} ms`);
      } else {
        this.failures = 0;
        if (outcome === 'more') continue;
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async listen(): Promise<void> {
    try {
      this.listener = new Client({ connectionString: this.options.databaseUrl });
      this.listener.on('notification', () => this.wake?.());
      this.listener.on('error', (error) => this.logger.warn(`listener: ${loggableError(error)}`));
      await this.listener.connect();
      await this.listener.query(`listen ${this.options.channel}`);
    } catch (error) {
      // Polling still does all the work, only later.
      this.logger.warn(`listener unavailable, polling only: ${loggableError(error)}`);
    }
  }
}
