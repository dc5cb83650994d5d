import { DynamicModule, Module } from '@nestjs/common';
import { BrpConnector } from './brp.connector';
import { ConnectorDeliveryController } from './connector-delivery.controller';
import { ConnectorFactory } from './connector.factory';
import { ExternalHttpClient } from './external-http.client';
import { IncomeConnector } from './income.connector';
import { CONNECTOR_KIND, ConnectorKind, RECIPIENT_CONNECTORS } from './recipient-connector.port';
import { SchuldhulpConnector } from './schuldhulp.connector';
import { ZorgConnector } from './zorg.connector';

const CONNECTORS = [BrpConnector, IncomeConnector, SchuldhulpConnector, ZorgConnector];

/** Every connector, gathered by one factory (like ghostfolio's data-provider module). */
@Module({
  providers: [
    ExternalHttpClient,
    ...CONNECTORS,
    { provide: RECIPIENT_CONNECTORS, inject: CONNECTORS, useFactory: (...all: unknown[]) => all },
    ConnectorFactory,
  ],
  exports: [ConnectorFactory],
})
export class ConnectorsModule {
  /** The connectors plus the delivery handler for the one kind this process serves. */
  static forKind(kind: ConnectorKind): DynamicModule {
    return {
      module: ConnectorsModule,
      controllers: [ConnectorDeliveryController],
      providers: [{ provide: CONNECTOR_KIND, useValue: kind }],
    };
  }
}
