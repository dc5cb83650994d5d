import { Inject, Injectable } from '@nestjs/common';
import { ConnectorKind, RECIPIENT_CONNECTORS, RecipientConnector } from './recipient-connector.port';

/**
 * Gathers every RecipientConnector (RECIPIENT_CONNECTORS) and hands out the one for a kind, so a
 * connector process needs only its kind to find its work.
 */
@Injectable()
export class ConnectorFactory {
  private readonly byKind: Map<ConnectorKind, RecipientConnector>;

  constructor(@Inject(RECIPIENT_CONNECTORS) connectors: RecipientConnector[]) {
    this.byKind = new Map(connectors.map((c) => [c.kind, c]));
  }

  /** Throws for a kind without a connector: a configuration error (the delivery controller asks at start-up). */
  forKind(kind: ConnectorKind): RecipientConnector {
    const connector = this.byKind.get(kind);
    if (!connector) throw new Error(`no connector for kind ${kind}`);
    return connector;
  }

  kinds(): ConnectorKind[] {
    return [...this.byKind.keys()];
  }
}
