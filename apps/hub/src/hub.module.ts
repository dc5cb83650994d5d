import { Module } from '@nestjs/common';
import { ConfigModule } from '@nazorg/config';
import { DeliveryModule } from '@nazorg/delivery';
import { IngestionModule } from '@nazorg/ingestion';
import { MessagingModule } from '@nazorg/messaging';
import { PersistenceModule } from '@nazorg/persistence';
import { RoutingModule } from '@nazorg/routing';
import { HealthController } from './health.controller';

/** The hub: ingress (Kafka, RabbitMQ, HTTP) → store + route (outbox) → delivery. */
@Module({
  imports: [
    ConfigModule.forRoot(),
    MessagingModule.forRoot(),
    PersistenceModule,
    RoutingModule,
    IngestionModule,
    DeliveryModule,
  ],
  controllers: [HealthController],
})
export class HubModule {}
