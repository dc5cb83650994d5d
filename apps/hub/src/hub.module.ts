import { DynamicModule, Module } from '@nestjs/common';
import { AftercareModule } from '@nazorg/aftercare';
import { ConfigModule, ConfigModuleOptions } from '@nazorg/config';
import { DeliveryModule } from '@nazorg/delivery';
import { IngestionModule } from '@nazorg/ingestion';
import { MessagingModule } from '@nazorg/messaging';
import { DataKeyRotationService, PersistenceModule } from '@nazorg/persistence';
import { RetentionModule } from '@nazorg/retention';
import { RoutingModule } from '@nazorg/routing';
import { HealthController } from './health.controller';

/** The hub: ingress (Kafka, RabbitMQ, HTTP) → store + route (outbox) → delivery. */
@Module({})
export class HubModule {
  /** `config.env` replaces process.env (tests start hubs with their own keys or tenant file). */
  static forRoot(config: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: HubModule,
      imports: [
        ConfigModule.forRoot(config),
        MessagingModule.forRoot({ identity: 'hub' }),
        PersistenceModule,
        RoutingModule,
        IngestionModule,
        DeliveryModule,
        RetentionModule,
        AftercareModule,
      ],
      controllers: [HealthController],
      // Re-sealing under the active data key runs in the hub only (one place, not every app).
      providers: [DataKeyRotationService],
    };
  }
}
