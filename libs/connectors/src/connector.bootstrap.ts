import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigModule, TenantsFile } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { AmqpConnection, AmqpServer, MessagingModule, UnexpectedErrorFilter } from '@nazorg/messaging';
import { HeartbeatModule } from '@nazorg/monitoring';
import { ObservabilityModule } from '@nazorg/observability';
import { RECIPIENT_DELIVERY_PATTERN } from './delivery-pattern';
import { ConnectorsModule } from './connectors.module';
import { ConnectorKind } from './recipient-connector.port';

const METRICS_PORT_KEYS = {
  brp: 'CONNECTOR_BRP_METRICS_PORT',
  income: 'CONNECTOR_INCOME_METRICS_PORT',
  schuldhulp: 'CONNECTOR_SCHULDHULP_METRICS_PORT',
  zorg: 'CONNECTOR_ZORG_METRICS_PORT',
} as const satisfies Record<ConnectorKind, string>;

/**
 * Starts one connector process: it consumes the queues of every recipient of its kind in the tenant
 * file (`recipient.brp-eemland-zuid`, `recipient.brp-westland`, ...). Shared by the four thin apps.
 */
export async function bootstrapConnector(kind: ConnectorKind): Promise<INestApplication> {
  @Module({
    imports: [
      ConfigModule.forRoot(),
      MessagingModule.forRoot({ identity: `connector-${kind}` }),
      // No HTTP server of its own: /metrics on CONNECTOR_<KIND>_METRICS_PORT.
      ObservabilityModule.forRoot({ app: `connector-${kind}`, metricsPortKey: METRICS_PORT_KEYS[kind] }),
      ConnectorsModule.forKind(kind),
      HeartbeatModule.forApp(`connector-${kind}`),
    ],
  })
  class ConnectorAppModule {}

  const app = await NestFactory.create(ConnectorAppModule, { logger: ['fatal', 'error', 'warn', 'log'] });
  app.enableShutdownHooks();
  app.useGlobalFilters(new UnexpectedErrorFilter());
  await app.init();
  const config = app.get(AppConfig);
  const tenants = app.get(TenantsFile);
  const queues = tenants.tenants
    .flatMap((t) => t.recipients)
    .filter((r) => r.kind === kind)
    .map((r) => r.id);
  app.connectMicroservice(
    {
      strategy: new AmqpServer(app.get(AmqpConnection), {
        queues: Object.fromEntries(
          queues.map((id) => [Channels.recipientQueue(id), RECIPIENT_DELIVERY_PATTERN]),
        ),
        prefetch: config.AMQP_PREFETCH,
        maxRetries: config.DELIVERY_MAX_RETRIES,
        // A delivery the connector fails on by its content: as many attempts as a transient failure.
        contentFailureAttempts: config.DELIVERY_MAX_RETRIES + 1,
        attemptKey: config.RETRY_COUNTER_KEY,
        retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
        // No `declare`: only the hub declares the topology (a connector's user may not configure
        // anything), so a connector starts once the hub has (npm start waits for its health).
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  return app;
}
