import { Logger } from '@nestjs/common';
import { CloudEvent, isDetentionEventType } from '@nazorg/contracts';
import { FeedEventRefusedError, FeedSink } from './feed-sink.port';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface PacedSenderOptions {
  /** Events per second; absent: as fast as the sink accepts them. */
  rate?: number;
  /** Log the counts after every this many events (default 100). */
  progressEvery?: number;
  /** Clock and sleep, replaceable in tests. */
  now?: () => number;
  sleep?: Sleep;
}

export interface FeedReport {
  sent: number;
  /** Refused for good by the receiver (counted, not retried). */
  refused: number;
  /** Failed attempts that were tried again. */
  retries: number;
  /** Events sent per short type (`detention.started`, ...). */
  byType: Record<string, number>;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Sends events one at a time at a steady rate, retrying each until the sink has it (so the order a
 * caller sends in is the order that arrives), and keeps the counts. It logs counts and event types
 * only: never an id, a subject or anything from `data`, which would identify a person.
 */
export class PacedSender {
  private readonly logger = new Logger('Feed');
  private readonly interval: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly progressEvery: number;
  private readonly abort = new AbortController();
  private nextAt?: number;
  readonly report: FeedReport = { sent: 0, refused: 0, retries: 0, byType: {} };

  constructor(
    private readonly sink: FeedSink,
    options: PacedSenderOptions = {},
  ) {
    if (options.rate !== undefined && !(options.rate > 0)) throw new Error('rate must be a positive number');
    this.interval = options.rate ? 1000 / options.rate : 0;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.progressEvery = options.progressEvery ?? 100;
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Ends the current wait at once; `send` then returns false instead of sending. */
  stop(): void {
    this.abort.abort();
  }

  /**
   * Waits for the event's turn, then sends it, again and again after a back-off until the sink
   * accepts or refuses it. `stamp` prepares the event at the moment it goes out. Returns true when
   * sent or refused, false when stopped first.
   */
  async send<E extends CloudEvent<object>>(
    event: E,
    stamp: (event: E, at: Date) => E = (e) => e,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const wait = attempt === 0 ? this.untilNextSlot() : Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
      if (wait > 0) await this.sleep(wait, this.abort.signal);
      if (this.stopped) return false;
      try {
        await this.sink.send(stamp(event, new Date(this.now())));
        this.count(event.type);
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message : 'unknown error';
        if (error instanceof FeedEventRefusedError) {
          this.report.refused++;
          this.logger.warn(`a ${shortType(event.type)} event was refused (${message}); skipped`);
          return true;
        }
        this.report.retries++;
        // The first failure and then every tenth: a broker that is down should not flood the log.
        if (attempt % 10 === 0) this.logger.warn(`sending failed (${message}); retrying`);
      }
    }
  }

  /** A summary line: totals and counts per type. */
  summary(): string {
    const types = Object.entries(this.report.byType)
      .map(([type, n]) => `${type} ${n}`)
      .join(', ');
    const { sent, refused, retries } = this.report;
    return `sent ${sent} events (${types || 'none'}); refused ${refused}, retried ${retries}`;
  }

  private untilNextSlot(): number {
    const now = this.now();
    // After a stall, do not burst to catch up: at most one slot of slack.
    this.nextAt =
      this.nextAt === undefined ? now : Math.max(this.nextAt + this.interval, now - this.interval);
    return this.nextAt - now;
  }

  private count(type: string): void {
    const short = shortType(type);
    this.report.byType[short] = (this.report.byType[short] ?? 0) + 1;
    this.report.sent++;
    if (this.report.sent % this.progressEvery === 0) this.logger.log(this.summary());
  }
}

/**
 * `nl.dji.injus.detention.started.v1` → `detention.started`; anything else (a replayed scenario may
 * hold deliberately invalid events) → `other`, so no free text from an event reaches the log.
 */
export function shortType(type: unknown): string {
  return isDetentionEventType(type) ? type.split('.').slice(3, -1).join('.') : 'other';
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
