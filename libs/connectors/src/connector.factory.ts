import { Inject, Injectable } from '@nestjs/common';
import { ConnectorKind, RECIPIENT_CONNECTORS, RecipientConnector } from './recipient-connector.port';

/** Gathers every RecipientConnector and hands out the one for a kind. */
@Injectable()
export class ConnectorFactory {
  private readonly byKind: Map<ConnectorKind, RecipientConnector>;

  constructor(@Inject(RECIPIENT_CONNECTORS) connectors: RecipientConnector[]) {
    this.byKind = new Map(connectors.map((c) => [c.kind, c]));
  }

  forKind(kind: ConnectorKind): RecipientConnector {
    const connector = this.byKind.get(kind);
    if (!connector) throw new Error(`no connector for kind ${kind}`);
    return connector;
  }

  kinds(): ConnectorKind[] {
    return [...this.byKind.keys()];
  }
}
