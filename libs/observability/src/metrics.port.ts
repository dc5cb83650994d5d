/**
 * What the hub's code records, in its own words. Only this port is injected where code records, so
 * no domain class imports prom-client. Every label value comes from a bounded, non-personal set
 * (channel, event type, recipient id and kind, tenant id, outcome, reason class): never a
 * detention id, BSN, event id or error message (docs/adr/0016).
 */
export const METRICS = Symbol('METRICS');

export interface RecipientLabels {
  recipientId: string;
  recipientKind: string;
  tenantId: string;
}

/** Why an input was refused, as a class: never the violation text. */
/** `inconsistent`: contradicts what is known of its detention (ADR 0014). */
export type RejectReasonClass = 'invalid' | 'forbidden' | 'inconsistent' | 'parked';

export interface OutboxBacklogRow {
  recipientId: string;
  /** `pending`: not yet tried; `failing`: tried and failed at least once. */
  state: 'pending' | 'failing';
  count: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/** Messages ready in one of the hub's own queues (ingress, results, their retry and dead queues). */
export interface QueueDepth {
  queue: string;
  messages: number;
}

export interface MetricsPort {
  eventReceived(channel: string): void;
  eventRejected(channel: string, reason: RejectReasonClass): void;
  /** A valid event stored (and routed) `seconds` after it was received. */
  eventStored(channel: string, eventType: string, seconds: number): void;
  eventDuplicate(channel: string): void;
  /**
   * A delivery the broker (or webhook) confirmed: `sinceStoredSeconds` from its outbox row,
   * `sinceEventSeconds` from the event's own time (the feed's), when it has one.
   */
  deliveryPublished(recipient: RecipientLabels, sinceStoredSeconds: number, sinceEventSeconds?: number): void;
  /** A publish that failed and will be tried again (the outbox never gives up on a stored event). */
  deliveryRetried(recipient: RecipientLabels): void;
  /** A connector result received by the hub: the recipient acted on its delivery. */
  resultReceived(recipientId: string, resultType: string, outcome: string): void;
  /** What a connector made of one delivery (completed, not-applicable, retry, failed, error). */
  connectorHandled(connector: string, recipientId: string, outcome: string): void;
  /** A delivery a connector refused for good: its queue's dead-letter queue holds it. */
  deliveryDeadLettered(recipientId: string): void;
  /** One event the feed sent (`sent`), or that its receiver refused for good (`refused`), or not (`failed`). */
  feedEventSent(sink: string, outcome: 'sent' | 'refused' | 'failed'): void;
  /** Read at every scrape (keep the query cheap); the last source registered wins. */
  observeOutboxBacklog(source: () => Promise<OutboxBacklogRow[]>): void;
  observeConsumerLag(source: () => Promise<PartitionLag[]>): void;
  observeQueueDepth(source: () => Promise<QueueDepth[]>): void;
  /** The scrape text (Prometheus text format). */
  scrape(): Promise<{ contentType: string; body: string }>;
}
