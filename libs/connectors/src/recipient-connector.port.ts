import { CloudEvent, ConnectorResultType, RecipientKind } from '@nazorg/contracts';

/** Every RecipientConnector, gathered for the ConnectorFactory (connectors.module.ts). */
export const RECIPIENT_CONNECTORS = Symbol('RECIPIENT_CONNECTORS');
/** The recipient kind a connector process serves (ConnectorsModule.forKind). */
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
  /** This event type (or this delivery's content, e.g. no consent) needs nothing from this connector. */
  | { status: 'not-applicable' }
  /** The external system was slow, unreachable or answered 5xx: try again later. */
  | { status: 'retry'; reason: string }
  /** The delivery can never be handled (e.g. the external system refuses it with 4xx). */
  | { status: 'failed'; reason: string };

/** The kinds that have an external system to call; coordinators and ops read their queues themselves. */
export type ConnectorKind = Exclude<RecipientKind, 'coordinator' | 'ops'>;

/**
 * One connector per external system (BRP, Suwinet-style income, schuldhulp, zorg). Each takes a
 * delivery (a CloudEvent already trimmed to its recipient's privacy profile), does its work against
 * its external system, and says what happened. It never acks or retries itself: the broker adapter
 * decides from the returned outcome.
 *
 * Every implementation must pass testing/connector.conformance.ts: it does not throw for expected
 * failures, sends its system only fields its kind may see, and its reasons carry no personal data
 * (they reach logs and dead-letter headers).
 */
export interface RecipientConnector {
  readonly kind: ConnectorKind;
  handle(delivery: CloudEvent): Promise<ConnectorOutcome>;
}
