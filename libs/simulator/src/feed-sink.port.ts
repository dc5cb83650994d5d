import { CloudEvent } from '@nazorg/contracts';

/** Where the simulated feed publishes: Kafka (default), RabbitMQ or the hub's HTTP API. */
export const FEED_SINK = Symbol('FEED_SINK');

export interface FeedSink {
  /** Resolves once the event is accepted (broker confirmed, or the hub answered 2xx). */
  send(event: CloudEvent<object>): Promise<void>;
}

/**
 * The receiver refused this event for good (e.g. HTTP 400, 401, 403): sending it again cannot help,
 * so a runner counts it and moves on, where any other error is worth a retry.
 */
export class FeedEventRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = FeedEventRefusedError.name;
  }
}
