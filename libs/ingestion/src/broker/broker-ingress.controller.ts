import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AppConfig } from '@nazorg/config';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
import { IngestionService } from '../ingestion.service';
import { BrokerPublishers } from './broker-publishers';
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
    private readonly publishers: BrokerPublishers,
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
      await this.ingestion.ingest(message.body, 'kafka');
    } catch (error) {
      if (message.attempt < this.config.INGRESS_PARK_AFTER_ATTEMPTS) throw error;
      // The error's class only: its message may quote the data it failed on.
      await this.ingestion.park(message.body, 'kafka', message.attempt, (error as Error).name);
    }
    return HandlingResult.done();
  }

  /**
   * Only a feed user may publish here, and only for its own source (RabbitMQ validated the user).
   * A refused event is not stored: it stays in the queue's dead-letter queue with the reason.
   */
  @EventPattern(IngressPatterns.RABBITMQ)
  async fromRabbitmq(@Payload() message: InboundMessage): Promise<HandlingResult> {
    const sources = this.publishers.feedSourcesOf(message.publisher);
    if (sources.length === 0)
      return HandlingResult.reject(
        message.publisher
          ? `publisher ${message.publisher} may not publish feed events`
          : 'feed event without a validated publisher (user_id)',
      );
    const outcome = await this.ingestion.ingest(message.body, 'rabbitmq', { allowedSources: sources });
    if (outcome.outcome === 'forbidden')
      return HandlingResult.reject(
        `publisher ${message.publisher} may not speak for the event's source (only ${sources.join(', ')})`,
      );
    return HandlingResult.done();
  }
}
