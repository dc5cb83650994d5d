import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AppConfig } from '@nazorg/config';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
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
      const outcome = await this.ingestion.ingest(message.body, 'kafka');
      // A passing state (a withdrawal still going out): the next attempt normally stores it.
      if (outcome.outcome === 'deferred') {
        if (message.attempt < this.config.INGRESS_PARK_AFTER_ATTEMPTS)
          return HandlingResult.retry('withdrawal pending');
        await this.ingestion.park(message.body, 'kafka', message.attempt, 'WithdrawalPending');
      }
    } catch (error) {
      if (message.attempt < this.config.INGRESS_PARK_AFTER_ATTEMPTS) throw error;
      // The error's class only: its message may quote the data it failed on.
      await this.ingestion.park(message.body, 'kafka', message.attempt, (error as Error).name);
    }
    return HandlingResult.done();
  }

  @EventPattern(IngressPatterns.RABBITMQ)
  async fromRabbitmq(@Payload() message: InboundMessage): Promise<HandlingResult> {
    const outcome = await this.ingestion.ingest(message.body, 'rabbitmq');
    // Retried with back-off by the adapter (a bounded number of times, then its dead-letter queue).
    if (outcome.outcome === 'deferred') return HandlingResult.retry('withdrawal pending');
    return HandlingResult.done();
  }
}
