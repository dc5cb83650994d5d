import { DetentionEvent } from '@nazorg/contracts';

export const INBOUND_EVENT_RECORDS = Symbol('INBOUND_EVENT_RECORDS');

export type IngressChannel = 'kafka' | 'rabbitmq' | 'http' | 'replay';

/**
 * `withdrawn`: about a detention already withdrawn (erased, or its withdrawal stored before this
 * event arrived); kept inert, routed to no one.
 */
export type RoutingStatus = 'routed' | 'unrouted' | 'awaiting-origin' | 'withdrawn';

/** A stored event of a detention, opened (what the facts check and the routing of waiters read). */
export interface StoredEvent {
  id: string;
  channel: IngressChannel;
  routingStatus: RoutingStatus;
  event: DetentionEvent;
}

/** An event to store: the repository seals it under its detention's key, bound to `id`. */
export interface NewInboundEvent {
  /** Chosen by the caller: the sealed value's row, bound into it. */
  id: string;
  event: DetentionEvent;
  channel: IngressChannel;
  routingStatus: RoutingStatus;
  tenantId: string | null;
}

/** What an erased detention's events still say in clear: which types came, and when. */
export interface EventTrace {
  type: string;
  /** The envelope's `time` as the chain sent it (null: not kept). */
  time: string | null;
  routingStatus: string;
}

/** Feed events as the hub keeps them (`inbound_event`): the inbox that de-duplicates. */
export interface InboundEventRecordsPort {
  /** Which of these (source, id) pairs are stored, under any detention. */
  stored(ids: readonly { source: string; id: string }[]): Promise<{ source: string; id: string }[]>;
  /** The detentions' stored events that are not inert, opened, in arrival order. */
  ofDetentions(detentionIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  /** The envelopes of the events kept under these pseudonyms (an erased detention's trace). */
  traces(pseudonyms: readonly string[]): Promise<EventTrace[]>;
  /** Stores them, sealed; one already there under its (source, id) is left alone. Returns the ids stored. */
  insert(events: readonly NewInboundEvent[]): Promise<string[]>;
  /**
   * Keeps an event about an erased detention: its envelope without id, subject or data, under the
   * keyed event id and the detention's pseudonym, routed to no one. Null: that id is there already.
   */
  insertInert(
    event: DetentionEvent,
    at: { keyedEventId: string; pseudonym: string; channel: IngressChannel },
  ): Promise<string | null>;
  /** Sets where the events were routed (the tenant they went to). */
  setRouting(
    updates: readonly { id: string; status: RoutingStatus; tenantId: string | null }[],
  ): Promise<void>;
  /** Deletes a stored event, only while no one received it (`awaiting-origin`). */
  removeAwaiting(id: string): Promise<void>;
}
