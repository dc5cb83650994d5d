import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { HandlingResult, InboundMessage, isHandlingResult } from '../handling-result';
import { EventLogPort, EventLogSubscription } from './event-log.port';

export interface KafkaServerOptions {
  groupId: string;
  /** Topic → the `@EventPattern` that handles it. */
  topics: Record<string, string>;
  concurrency?: number;
  /** Called before subscribing (e.g. to create topics or move the group's offsets). */
  beforeSubscribe?: (eventLog: EventLogPort) => Promise<void>;
}

/**
 * Nest custom transport strategy for Kafka, through the EventLogPort. The handler's typed result
 * decides: `done`/`reject` commit the offset, `retry` fetches the record again after a back-off.
 */
export class KafkaServer extends Server implements CustomTransportStrategy {
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
      const missing = Object.values(this.options.topics).filter((p) => !this.getHandlerByPattern(p));
      if (missing.length) throw new Error(`no @EventPattern handler for: ${missing.join(', ')}`);
      await this.options.beforeSubscribe?.(this.eventLog);
      this.subscription = await this.eventLog.subscribe(
        {
          groupId: this.options.groupId,
          topics: Object.keys(this.options.topics),
          concurrency: this.options.concurrency,
        },
        (record) =>
          this.dispatch(this.options.topics[record.topic], {
            body: record.value,
            headers: record.headers,
            channel: record.topic,
            key: record.key,
            attempt: 1,
          }),
      );
      callback();
    } catch (error) {
      callback(error);
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

  private async dispatch(pattern: string, message: InboundMessage): Promise<HandlingResult> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return HandlingResult.retry(`no handler for pattern ${pattern}`);
    const outcome = await lastValueFrom(this.transformToObservable(await handler(message)), {
      defaultValue: undefined,
    });
    return isHandlingResult(outcome) ? outcome : HandlingResult.reject('handler returned no HandlingResult');
  }
}
