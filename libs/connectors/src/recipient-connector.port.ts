import { CloudEvent, ConnectorResultType, RecipientKind } from '@nazorg/contracts';

/**
 * One connector per external system (BRP, Suwinet-style income, schuldhulp, zorg). Each takes a
 * delivery (a CloudEvent already trimmed to its recipient's privacy profile), does its work against
 * its external system, and says what happened. It never acks or retries itself: the broker adapter
 * decides from the returned outcome.
 */
export const RECIPIENT_CONNECTORS = Symbol('RECIPIENT_CONNECTORS');

export type ConnectorOutcome =
  /** The external system answered; the result goes to `hub.results`. */
  | { status: 'completed'; result: { type: ConnectorResultType; data: Record<string, unknown> } }
  /** This event type needs nothing from this connector. */
  | { status: 'not-applicable' }
  /** The external system was slow, down or answered 5xx: try again later. */
  | { status: 'retry'; reason: string }
  /** The delivery can never be handled (e.g. the external system refuses it with 4xx). */
  | { status: 'failed'; reason: string };

export interface RecipientConnector {
  readonly kind: Exclude<RecipientKind, 'coordinator' | 'ops'>;
  handle(delivery: CloudEvent): Promise<ConnectorOutcome>;
}
