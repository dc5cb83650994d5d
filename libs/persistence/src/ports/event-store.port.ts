import { DetentionEvent, Violation } from '@nazorg/contracts';

export const EVENT_STORE = Symbol('EVENT_STORE');

export type IngressChannel = 'kafka' | 'rabbitmq' | 'http' | 'replay';

/** A delivery to write to the outbox (what the routing decided). */
export interface OutboxEntry {
  id: string;
  /**
   * The ids the same message had under previous pseudonym keys (ADR 0023): when a delivery with one
   * of them exists, the message was planned before a rotation and is not written again.
   */
  formerIds?: readonly string[];
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
  /** The keyed hash of a detention id (what remains of an erased detention), current key. */
  pseudonym(detentionId: string): string;
  /**
   * The keyed event id an erased detention's events are kept under (libs/privacy erasedEventId):
   * the current key's first, then each previous key's (ADR 0023, 0024).
   */
  erasedEventIds(source: string, eventId: string): string[];
  /**
   * The keyed hash under the current key, then under each previous one (ADR 0023): an erased
   * detention's trace may be under any of them.
   */
  pseudonymCandidates(detentionId: string): string[];
  /** The keyed blind index of a BSN (access requests find a person's disclosures by it). */
  personIndex(bsn: string): string;
  /** Tenant of a detention.started event's municipality of origin (null: no tenant). */
  tenantOf(started: DetentionEvent): string | null;
  plan(
    event: DetentionEvent,
    context: {
      tenantId: string | null;
      previousRecipientIds: readonly string[];
      consentWithdrawnFrom: readonly string[];
    },
  ): OutboxEntry[];
}

/** What the hub already knows of a detention, read under its lock when one more event arrives. */
export interface KnownDetention {
  /** Set once a start was stored: the tenant it put the detention in (null: no tenant's). */
  origin: { tenantId: string | null } | null;
  /** Its stored events (not those kept inert), opened. */
  events: DetentionEvent[];
}

/** The rules an event must keep with what is known of its detention (the use case's, not storage's). */
export interface KnownFactsCheck {
  violations(event: DetentionEvent, known: KnownDetention): Violation[];
  /**
   * For a start arriving for events that waited for it (routed to no one): which of them contradict
   * it, by index, with their reasons. Those are refused instead of the start (ADR 0014).
   */
  contradictedByStart(
    start: DetentionEvent,
    awaiting: readonly DetentionEvent[],
  ): { index: number; violations: Violation[] }[];
}

/** A waiting event refused on its start's arrival: moved to the dead-letter store. */
export interface DisplacedEvent {
  deadLetterId: string;
  /** The channel the refused event came in on. */
  channel: IngressChannel;
  violations: Violation[];
}

export type RecordOutcome =
  | {
      outcome: 'stored';
      eventRef: string;
      routingStatus: RoutingStatus;
      deliveries: number;
      /** Events that waited for this start and contradict it: now dead letters, not stored. */
      displaced?: DisplacedEvent[];
    }
  | { outcome: 'duplicate' }
  /** It contradicts what is known of its detention: nothing was stored or routed. */
  | { outcome: 'inconsistent'; violations: Violation[] };

/**
 * `withdrawn`: about a detention already withdrawn (erased, or its withdrawal stored before this
 * event arrived); kept inert, routed to no one.
 */
export type RoutingStatus = 'routed' | 'unrouted' | 'awaiting-origin' | 'withdrawn';

export interface EventStorePort {
  /**
   * Stores a valid event once per (source, id) and, in the same transaction, writes the outbox
   * rows for it (and for earlier events of the same detention that waited for its origin). Under
   * the detention's lock it first asks `check` whether the event agrees with what is known; if
   * not, nothing is stored (`inconsistent`). A start is the anchor for events still awaiting their
   * origin: those contradicting it move to the dead-letter store instead. A duplicate is a duplicate before anything else.
   */
  record(
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
    check: KnownFactsCheck,
  ): Promise<RecordOutcome>;
  /**
   * Runs `work`, whose `record` calls are these events' (a Kafka batch, in its order), in one
   * transaction: their detentions are locked and read at once, and what they write is written at
   * the end, in a few statements (ADR 0028). Each `record` answers as it would on its own; an event
   * the batch cannot decide in memory is recorded on its own inside the transaction. If `run`
   * rejects, nothing of it is kept.
   */
  inBatch<T>(events: readonly DetentionEvent[], router: EventRouter, work: () => Promise<T>): Promise<T>;
}
