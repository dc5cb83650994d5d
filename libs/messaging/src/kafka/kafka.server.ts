import { Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { TypedResultServer } from '../typed-result.server';
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
}
