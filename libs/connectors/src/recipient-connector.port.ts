import { CloudEvent, ConnectorResultType, RecipientKind } from '@nazorg/contracts';

/**
 * One connector per external system (BRP, Suwinet-style income, schuldhulp, zorg). Each takes a
 * delivery (a CloudEvent already trimmed to its recipient's privacy profile), does its work against
 * its external system, and says what happened. It never acks or retries itself: the broker adapter
 * decides from the returned outcome.
 */
export const RECIPIENT_CONNECTORS = Symbol('RECIPIENT_CONNECTORS');
/** The recipient kind a connector process serves. */
export const CONNECTOR_KIND = Symbol('CONNECTOR_KIND');

export type ConnectorOutcome =
  /** The external system answered; the result goes to `hub.results`. */
  | {
      status: 'completed';
      result: {
        type: ConnectorResultType;
        data: { outcome: 'completed' | 'person-unknown'; details: Record<string, unknown> };
      };
    }
  /** This event type needs nothing from this connector. */
  | { status: 'not-applicable' }
  /** The external system was slow, down or answered 5xx: try again later. */
  | { status: 'retry'; reason: string }
  /** The delivery can never be handled (e.g. the external system refuses it with 4xx). */
  | { status: 'failed'; reason: string };

export type ConnectorKind = Exclude<RecipientKind, 'coordinator' | 'ops'>;

export interface RecipientConnector {
  readonly kind: ConnectorKind;
  handle(delivery: CloudEvent): Promise<ConnectorOutcome>;
}
