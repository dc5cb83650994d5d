export const OUTBOX = Symbol('OUTBOX');

export interface PendingDelivery {
  id: string;
  recipientId: string;
  recipientKind: string;
  tenantId: string;
  detentionId: string;
  channel: { type: string; url?: string; secretEnv?: string };
  exchange: string;
  routingKey: string;
  message: Record<string, unknown>;
  disclosedPaths: string[];
  privacyProfileVersion: string | null;
  publishAttempts: number;
  /** When the row was written (the event stored), for the delivery latency. */
  createdAt?: Date;
  /** W3C trace context of the transaction that wrote it (null: tracing was off). */
  traceContext?: Record<string, string> | null;
  /** Set by the relay: the publish span's context, for the senders to pass on as headers. */
  traceHeaders?: Record<string, string>;
}

/** A delivery that could not go out, and when it is due again. */
export interface FailedDelivery {
  id: string;
  error: string;
  retryAfterMs: number;
  /** Trying again cannot help until the recipient's configuration changes: the row is parked. */
  refused?: boolean;
}

/**
 * The outbox as the relay sees it. A claim is a lease, committed at once: the relay publishes
 * outside any transaction and holds no row lock meanwhile; another relay skips claimed rows until
 * the lease runs out (then a dead relay's rows go out again, under the same delivery id).
 */
export interface OutboxPort {
  /**
   * Claims up to `limit` due, unclaimed deliveries in stored order, each the earliest unpublished
   * one of its detention and recipient: never two in flight for one detention and recipient, and a
   * later one only once the earlier is published (ADR 0022).
   */
  claimDue(limit: number, leaseMs: number): Promise<PendingDelivery[]>;
  /**
   * Marks them published and ends their claim (in the caller's unit of work, if any); returns the
   * ids it marked (not one another relay marked first, after this one's lease ran out).
   */
  markSent(ids: readonly string[]): Promise<string[]>;
  /**
   * Counts the failed attempt, ends the claim; each is due again after its own back-off, a
   * refused one is parked (not claimed again until `unpark`).
   */
  markFailed(failures: readonly FailedDelivery[]): Promise<void>;
  /**
   * Withholds (deletes) the unclaimed, unsent rows to a partner kind whose consent the detention's
   * later screening withdrew (ADR 0025), whatever wrote them and however often they failed; only
   * the withdrawal of the notification itself still goes. Returns how many.
   */
  withholdWithoutConsent(): Promise<number>;
  /** Makes parked deliveries due again (at start: their recipient's configuration may be fixed). */
  unpark(): Promise<number>;
}
