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

  constructor(
    private readonly eventLog: EventLogPort,
    private readonly options: KafkaServerOptions,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.assertHandlers(Object.values(this.options.topics));
      await this.options.beforeSubscribe?.(this.eventLog);
      await this.eventLog.ensureTopics(
        Object.keys(this.options.topics).map((topic) => ({
          topic: kafkaDeadLetterTopic(topic),
          partitions: 1,
        })),
      );
      this.subscription = await this.eventLog.subscribe(
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
      callback();
    } catch (error) {
      callback(error);
    }
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

  async close(): Promise<void> {
    await this.subscription?.stop();
  }

  on(): void {
    // No transport-level events are exposed.
  }

  unwrap<T>(): T {
    return this.eventLog as T;
  }
}
