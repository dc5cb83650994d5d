import { Inject, Injectable, Optional } from '@nestjs/common';
import { Channels, CLOUDEVENTS_CONTENT_TYPE, CloudEvent, FeedSource } from '@nazorg/contracts';
import { AMQP_PUBLISHER, AmqpPublisherPort } from '@nazorg/messaging';
import { FeedSink } from './feed-sink.port';
import { injectTraceContext } from '@nazorg/observability';

/**
 * The DPAN source's own publisher: the hub accepts a feed event on RabbitMQ only from the user that
 * speaks for its source (docs/adr/0010), so the simulated feed plays DPAN with DPAN's login.
 */
export const FEED_DPAN_PUBLISHER = Symbol('FEED_DPAN_PUBLISHER');

/**
 * RabbitMQ (CONTRACT section 2): durable topic exchange `injus.events`, routing key = the event type,
 * persistent and confirmed by the broker (the publisher port guarantees both). The message id is the
 * event id, so a broker-side trace names the same id as the hub's. INJUS events go out as the INJUS
 * feed user, DPAN events as the DPAN feed user (the same one when no DPAN publisher is bound).
 */
@Injectable()
export class RabbitmqFeedSink implements FeedSink {
  constructor(
    @Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort,
    @Optional() @Inject(FEED_DPAN_PUBLISHER) private readonly dpanPublisher?: AmqpPublisherPort,
  ) {}

  send(event: CloudEvent<object>): Promise<void> {
    const publisher =
      event.source === FeedSource.DPAN ? (this.dpanPublisher ?? this.publisher) : this.publisher;
    const trace = injectTraceContext();
    return publisher.publish({
      exchange: Channels.RABBITMQ_INGRESS_EXCHANGE,
      routingKey: event.type,
      body: JSON.stringify(event),
      messageId: event.id,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      // The trace this event starts (the feed send span), when tracing is on.
      ...(trace.traceparent ? { headers: trace } : {}),
    });
  }
}
