import { DynamicModule, Module } from '@nestjs/common';
import { BrpConnector } from './brp.connector';
import { ConnectorDeliveryController } from './connector-delivery.controller';
import { ConnectorFactory } from './connector.factory';
import { ExternalHttpClient } from './external-http.client';
import { IncomeConnector } from './income.connector';
import {
  CONNECTOR_KIND,
  ConnectorKind,
  RECIPIENT_CONNECTORS,
  RecipientConnector,
} from './recipient-connector.port';
import { SchuldhulpConnector } from './schuldhulp.connector';
import { ZorgConnector } from './zorg.connector';

const CONNECTORS = [BrpConnector, IncomeConnector, SchuldhulpConnector, ZorgConnector];

/**
 * Every connector, gathered by one factory (as ghostfolio's data-provider module gathers its
 * providers): a new external system is one more class in CONNECTORS. Needs AppConfig (the global
 * ConfigModule).
 */
@Module({
  providers: [
    ExternalHttpClient,
    ...CONNECTORS,
    { provide: RECIPIENT_CONNECTORS, inject: CONNECTORS, useFactory: (...all: RecipientConnector[]) => all },
    ConnectorFactory,
  ],
  exports: [ConnectorFactory],
})
export class ConnectorsModule {
  /**
   * The connectors plus the delivery handler for the one kind this process serves. The handler also
   * needs AMQP_PUBLISHER (the global MessagingModule) to publish results.
   */
  static forKind(kind: ConnectorKind): DynamicModule {
    return {
      module: ConnectorsModule,
      controllers: [ConnectorDeliveryController],
      providers: [{ provide: CONNECTOR_KIND, useValue: kind }],
    };
  }
}
