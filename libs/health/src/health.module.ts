import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { RabbitMqHealthIndicator } from './rabbitmq.health-indicator';
import { ReadinessRegistry } from './readiness.registry';

/**
 * `GET /health` and `GET /health/ready` for any app that serves HTTP:
 * `HealthModule.forRoot({ readiness: ['database', 'rabbitmq'] })`. Needs MessagingModule (global)
 * for rabbitmq and kafka, and TypeORM for database.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty' })],
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_OPTIONS, useValue: options },
        RabbitMqHealthIndicator,
        KafkaHealthIndicator,
        ReadinessRegistry,
      ],
      exports: [ReadinessRegistry],
    };
  }
}
