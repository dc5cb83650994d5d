import { DynamicModule, Module } from '@nestjs/common';
import { AftercareModule } from '@nazorg/aftercare';
import { ConfigModule, ConfigModuleOptions } from '@nazorg/config';
import { DeliveryModule } from '@nazorg/delivery';
import { HealthModule } from '@nazorg/health';
import { IngestionModule } from '@nazorg/ingestion';
import { MessagingModule } from '@nazorg/messaging';
import { HeartbeatModule } from '@nazorg/monitoring';
import { ObservabilityModule } from '@nazorg/observability';
import { DataKeyRotationService, PersistenceModule } from '@nazorg/persistence';
import { PrivacyModule } from '@nazorg/privacy';
import { RetentionModule } from '@nazorg/retention';
import { RoutingModule } from '@nazorg/routing';

/** The hub: ingress (Kafka, RabbitMQ, HTTP) → store + route (outbox) → delivery. */
@Module({})
export class HubModule {
  /** `config.env` replaces process.env (tests start hubs with their own keys or tenant file). */
  static forRoot(config: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: HubModule,
      imports: [
        ConfigModule.forRoot(config),
        PrivacyModule,
        MessagingModule.forRoot({ identity: 'hub' }),
        ObservabilityModule.forRoot({ app: 'hub' }),
        PersistenceModule,
        RoutingModule,
        IngestionModule,
        DeliveryModule,
        RetentionModule,
        AftercareModule,
        // Kafka: the ingress consumer is in its group (up when Kafka ingress is off: none to check);
        // components: every ingress, the outbox relay and HTTP intake run (hub.bootstrap.ts).
        HealthModule.forRoot({ readiness: ['database', 'rabbitmq', 'kafka', 'components'] }),
        HeartbeatModule.forApp('hub'),
      ],
      // Re-sealing under the active data key runs in the hub only (one place, not every app).
      providers: [DataKeyRotationService],
    };
  }
}
