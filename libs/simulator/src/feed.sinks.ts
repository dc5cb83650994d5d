import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { Channels, CloudEvent, FeedSource } from '@nazorg/contracts';
import { AMQP_PUBLISHER, AmqpPublisherPort, EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { FeedSink } from './feed-sink.port';

/** Kafka (CONTRACT section 2): topic `injus.detention-events.v1`, key = detentionId. */
@Injectable()
export class KafkaFeedSink implements FeedSink {
  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLogPort) {}

  send(event: CloudEvent<object>): Promise<void> {
    return this.eventLog.publish(Channels.KAFKA_INGRESS_TOPIC, [
      { key: event.subject, value: JSON.stringify(event) },
    ]);
  }
}

/** RabbitMQ: topic exchange `injus.events`, routing key = event type, persistent. */
@Injectable()
export class RabbitmqFeedSink implements FeedSink {
  constructor(@Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort) {}

  send(event: CloudEvent<object>): Promise<void> {
    return this.publisher.publish({
      exchange: Channels.RABBITMQ_INGRESS_EXCHANGE,
      routingKey: event.type,
      body: JSON.stringify(event),
      messageId: event.id,
    });
  }
}

/** HTTP: `POST /api/v1/events` with the source's bearer token. */
@Injectable()
export class HttpFeedSink implements FeedSink {
  constructor(private readonly config: AppConfig) {}

  async send(event: CloudEvent<object>): Promise<void> {
    const token =
      event.source === FeedSource.DPAN ? this.config.INGEST_TOKEN_DPAN : this.config.INGEST_TOKEN_INJUS;
    const response = await fetch(`http://localhost:${this.config.HUB_HTTP_PORT}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    // The status only: a problem body may describe the event.
    if (response.status !== 202) throw new Error(`hub answered ${response.status}`);
  }
}
