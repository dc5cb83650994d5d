import { DetentionEvent } from '@nazorg/contracts';

export const EVENT_STORE = Symbol('EVENT_STORE');

export type IngressChannel = 'kafka' | 'rabbitmq' | 'http' | 'replay';

/** A delivery to write to the outbox (what the routing decided). */
export interface OutboxEntry {
  id: string;
  recipientId: string;
  recipientKind: string;
  tenantId: string;
  channel: object;
  exchange: string;
  routingKey: string;
  message: object;
  disclosedPaths: string[];
  privacyProfileVersion: string;
}

/** Routing, as the store needs it inside its transaction. */
export interface EventRouter {
  /** The keyed hash of a detention id (what remains of an erased detention). */
  pseudonym(detentionId: string): string;
  /** Tenant of a detention.started event's municipality of origin (null: no tenant). */
  tenantOf(started: DetentionEvent): string | null;
  plan(
    event: DetentionEvent,
    context: { tenantId: string | null; previousRecipientIds: readonly string[] },
  ): OutboxEntry[];
}

export type RecordOutcome =
  | { outcome: 'stored'; eventRef: string; routingStatus: RoutingStatus; deliveries: number }
  | { outcome: 'duplicate' };

/** `withdrawn`: about a detention already withdrawn and erased; kept inert, routed to no one. */
export type RoutingStatus = 'routed' | 'unrouted' | 'awaiting-origin' | 'withdrawn';

export interface EventStorePort {
  /**
   * Stores a valid event once per (source, id) and, in the same transaction, writes the outbox
   * rows for it (and for earlier events of the same detention that waited for its origin).
   */
  record(event: DetentionEvent, channel: IngressChannel, router: EventRouter): Promise<RecordOutcome>;
}
