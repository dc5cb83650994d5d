import { Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { HandlingResult } from '../handling-result';
import { settle } from '../retry-policy';
import { TypedResultServer } from '../typed-result.server';
import {
  EventLogPort,
  EventLogRecord,
  EventLogSubscription,
  EventLogSubscriptionSpec,
} from './event-log.port';
import { loggableError } from '@nazorg/privacy';

const START_BACKOFF_MS = [500, 1000, 2000, 5000];

/** Where a topic's rejected records are kept: Kafka has no dead-letter exchange of its own. */
export const kafkaDeadLetterTopic = (topic: string): string => `${topic}.dead-letter`;
export const KAFKA_DEAD_LETTER_HEADERS = {
  reason: 'x-nazorg-dead-letter-reason',
  topic: 'x-nazorg-original-topic',
  partition: 'x-nazorg-original-partition',
  offset: 'x-nazorg-original-offset',
} as const;

export interface KafkaServerOptions {
  groupId: string;
  /** Topic → the `@EventPattern` that handles it. */
  topics: Record<string, string>;
  concurrency?: number;
  /**
   * Attempts of a record whose handler keeps failing on its content before it goes to
   * `<topic>.dead-letter`, so the records behind it in its partition move on; retries of a
   * transient failure (default: without limit). Infrastructure failures retry without limit.
   */
  contentFailureAttempts: number;
  maxRetries?: number;
  /** Consecutive records handled in one scope (the hub: one database transaction per batch). */
  batch?: EventLogSubscriptionSpec['batch'];
  /** How long `<topic>.dead-letter` keeps a record (default: the broker's). */
  deadLetterRetentionMs?: number;
  /** Called before subscribing (e.g. to create topics or move the group's offsets). */
  beforeSubscribe?: (eventLog: EventLogPort) => Promise<void>;
}

/**
 * Nest custom transport strategy for Kafka, through the EventLogPort. The handler's typed result
 * decides: `done` commits the offset; `retry` fetches the record again after a back-off (the
 * record's `attempt`, counted in this process, tells how often) until the retry policy gives up
 * on it (docs/adr/0013); `reject`, or giving up, first keeps the record, byte for byte
 * with its reason, on `<topic>.dead-letter`, and only then commits, so nothing is skipped unseen.
 */
export class KafkaServer extends TypedResultServer implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaServer.name);
  private subscription?: EventLogSubscription;
  private starting?: Promise<void>;
  private closed = false;

  constructor(
    private readonly eventLog: EventLogPort,
    private readonly options: KafkaServerOptions,
  ) {
    super();
  }

  /**
   * Reports ready at once and joins the consumer group in the background (ADR 0019): joining can
   * take as long as the group's session timeout (a killed predecessor still holds its partitions),
   * and nothing else of the app waits for it. A failed start (Kafka away) is tried again with
   * back-off until it succeeds or the server closes; `isRunning()` says whether it consumes.
   */
  listen(callback: (error?: unknown) => void): void {
    try {
      this.assertHandlers(Object.values(this.options.topics));
    } catch (error) {
      return callback(error);
    }
    this.starting = this.startWithRetry();
    callback();
  }

  /** In its consumer group and consuming (for readiness). */
  isRunning(): boolean {
    return this.subscription !== undefined && !this.closed;
  }

  /** Resolves once the consumer has joined its group (or the server closed first). */
  whenRunning(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const subscription = await this.subscribe();
        if (this.closed) return void (await subscription.stop().catch(() => undefined));
        this.subscription = subscription;
        if (attempt > 1) this.logger.log(`Kafka ingress consuming after ${attempt} attempts`);
        return;
      } catch (error) {
        if (this.closed) return;
        const delay = START_BACKOFF_MS[Math.min(attempt - 1, START_BACKOFF_MS.length - 1)];
        this.logger.warn(`Kafka ingress not started (${loggableError(error)}), trying again in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async subscribe(): Promise<EventLogSubscription> {
    await this.options.beforeSubscribe?.(this.eventLog);
    await this.eventLog.ensureTopics(
      Object.keys(this.options.topics).map((topic) => ({
        topic: kafkaDeadLetterTopic(topic),
        partitions: 1,
        retentionMs: this.options.deadLetterRetentionMs,
      })),
    );
    return this.eventLog.subscribe(
      {
        groupId: this.options.groupId,
        topics: Object.keys(this.options.topics),
        concurrency: this.options.concurrency,
        batch: this.options.batch,
      },
      async (record) => {
        const result = await this.dispatch(this.options.topics[record.topic], {
          body: record.value,
          headers: record.headers,
          channel: record.topic,
          key: record.key,
          attempt: record.attempt,
        });
        const settlement = settle(result, record.attempt, {
          contentFailureAttempts: this.options.contentFailureAttempts,
          maxRetries: this.options.maxRetries ?? Number.POSITIVE_INFINITY,
        });
        if (settlement.action === 'dead-letter') return this.deadLetter(record, settlement.reason);
        return settlement.action === 'ack' ? HandlingResult.done() : result;
      },
    );
  }

  private async deadLetter(record: EventLogRecord, reason: string): Promise<HandlingResult> {
    try {
      await this.eventLog.publish(kafkaDeadLetterTopic(record.topic), [
        {
          key: record.key ?? '',
          value: record.value,
          headers: {
            ...Object.fromEntries(
              Object.entries(record.headers).filter((e): e is [string, string] => e[1] !== undefined),
            ),
            [KAFKA_DEAD_LETTER_HEADERS.reason]: reason,
            [KAFKA_DEAD_LETTER_HEADERS.topic]: record.topic,
            [KAFKA_DEAD_LETTER_HEADERS.partition]: String(record.partition),
            [KAFKA_DEAD_LETTER_HEADERS.offset]: record.offset,
          },
        },
      ]);
      this.logger.warn(`dead-lettered ${record.topic}/${record.partition}@${record.offset}: ${reason}`);
      return HandlingResult.done();
    } catch (error) {
      // Nothing is skipped unseen: until the dead-letter topic takes it, the record stays.
      return HandlingResult.retry(
        `dead-letter topic unavailable: ${(error as Error).name}`,
        'infrastructure',
      );
    }
  }

  /**
   * Stops consuming and leaves the group (so a successor need not wait for the session to time
   * out): the record in hand is finished, records not handled keep their offsets uncommitted.
   * A start still joining is abandoned; its consumer is disconnected by the event log's close.
   */
  async close(): Promise<void> {
    this.closed = true;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  on(): void {
    // No transport-level events are exposed.
  }

  unwrap<T>(): T {
    return this.eventLog as T;
  }
}
