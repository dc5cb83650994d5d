export const OUTBOX_WRITER = Symbol('OUTBOX_WRITER');

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

/** An outbox entry with what it is about and the trace it continues. */
export interface NewDelivery {
  entry: OutboxEntry;
  detentionId: string;
  /** The stored event it delivers (null: a delivery the hub originates). */
  inboundEventId: string | null;
  /** W3C trace context of the work that planned it: the relay's publish span continues it. */
  traceContext: Record<string, string> | null;
}

/** The outbox as routing writes it, in the caller's unit of work. */
export interface OutboxWriterPort {
  /**
   * Writes them, each message sealed under its detention's key; an id already there is left alone
   * (planning twice is harmless), as is an entry whose former id is there. Wakes the relay on commit.
   */
  add(deliveries: readonly NewDelivery[]): Promise<void>;
  /** Who was ever sent something about the detention (a withdrawal goes to all of them). */
  recipientsOf(detentionId: string): Promise<string[]>;
  /**
   * Withholds (deletes) what is still waiting for these partner kinds about the detention, retries
   * included, except its notification's withdrawal (ADR 0025).
   */
  withholdFrom(detentionId: string, recipientKinds: readonly string[]): Promise<void>;
}
