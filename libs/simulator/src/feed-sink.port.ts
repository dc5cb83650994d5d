import { CloudEvent } from '@nazorg/contracts';

/** Where the simulated feed publishes: Kafka (default), RabbitMQ or the hub's HTTP API. */
export const FEED_SINK = Symbol('FEED_SINK');

export interface FeedSink {
  send(event: CloudEvent<object>): Promise<void>;
}
