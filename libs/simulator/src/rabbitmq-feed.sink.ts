import { Inject, Injectable } from '@nestjs/common';
import { Channels, CLOUDEVENTS_CONTENT_TYPE, CloudEvent } from '@nazorg/contracts';
import { AMQP_PUBLISHER, AmqpPublisherPort } from '@nazorg/messaging';
import { FeedSink } from './feed-sink.port';
import { injectTraceContext } from '@nazorg/observability';

/**
 * RabbitMQ (CONTRACT section 2): durable topic exchange `injus.events`, routing key = the event type,
 * persistent and confirmed by the broker (the publisher port guarantees both). The message id is the
 * event id, so a broker-side trace names the same id as the hub's.
 */
@Injectable()
export class RabbitmqFeedSink implements FeedSink {
  constructor(@Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort) {}

  send(event: CloudEvent<object>): Promise<void> {
    const trace = injectTraceContext();
    return this.publisher.publish({
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
