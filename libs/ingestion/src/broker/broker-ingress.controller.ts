import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
import { IngestionService } from '../ingestion.service';
import { IngressPatterns } from './ingress-patterns';

/**
 * Feed events from Kafka and RabbitMQ. Every outcome of ingestion is durable (stored, duplicate, or
 * kept as a dead letter), so each is `done`; a database failure throws and the adapter retries.
 */
@Controller()
export class BrokerIngressController {
  constructor(private readonly ingestion: IngestionService) {}

  @EventPattern(IngressPatterns.KAFKA)
  async fromKafka(@Payload() message: InboundMessage): Promise<HandlingResult> {
    await this.ingestion.ingest(message.body, 'kafka');
    return HandlingResult.done();
  }

  @EventPattern(IngressPatterns.RABBITMQ)
  async fromRabbitmq(@Payload() message: InboundMessage): Promise<HandlingResult> {
    await this.ingestion.ingest(message.body, 'rabbitmq');
    return HandlingResult.done();
  }
}
