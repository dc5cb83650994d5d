import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AppConfig } from '@nazorg/config';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
import { extractTraceContext, inSpan, SpanKind } from '@nazorg/observability';
import { IngestionService } from '../ingestion.service';
import { IngressPatterns } from './ingress-patterns';

/**
 * Feed events from Kafka and RabbitMQ. Every outcome of ingestion is durable (stored, duplicate, or
 * kept as a dead letter), so each is `done`; a database failure throws and the adapter retries.
 */
@Controller()
export class BrokerIngressController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Kafka retries a record in place, holding up its partition, which is right while the database
   * is away (nothing could be stored anyway) but not for one record that keeps failing on its own
   * (a poison record). After INGRESS_PARK_AFTER_ATTEMPTS it is parked as a dead letter, which only
   * works when the database does. RabbitMQ needs none of this: its adapter moves a message that
   * keeps failing to the queue's dead-letter queue (DELIVERY_MAX_RETRIES).
   */
  @EventPattern(IngressPatterns.KAFKA)
  async fromKafka(@Payload() message: InboundMessage): Promise<HandlingResult> {
    try {
      await receiveSpan(message, 'kafka', () => this.ingestion.ingest(message.body, 'kafka'));
    } catch (error) {
      if (message.attempt < this.config.INGRESS_PARK_AFTER_ATTEMPTS) throw error;
      // The error's class only: its message may quote the data it failed on.
      await this.ingestion.park(message.body, 'kafka', message.attempt, (error as Error).name);
    }
    return HandlingResult.done();
  }

  @EventPattern(IngressPatterns.RABBITMQ)
  async fromRabbitmq(@Payload() message: InboundMessage): Promise<HandlingResult> {
    await receiveSpan(message, 'rabbitmq', () => this.ingestion.ingest(message.body, 'rabbitmq'));
    return HandlingResult.done();
  }
}

/** The ingest hop's span, continuing the trace the feed sent in the message headers (if any). */
function receiveSpan<T>(message: InboundMessage, channel: string, work: () => Promise<T>): Promise<T> {
  return inSpan(
    `ingest ${channel}`,
    {
      kind: SpanKind.CONSUMER,
      parent: extractTraceContext(message.headers),
      attributes: { 'messaging.system': channel, 'messaging.destination.name': message.channel },
    },
    work,
  );
}
