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

/** `refused`: trying again cannot help until the configuration changes; the row is parked. */
export interface FailedDelivery {
  id: string;
  error: string;
  refused?: boolean;
}

export interface DisclosureFacts {
  processingActivity: string;
  legalGround: string;
}

export interface OutboxPort {
  /**
   * Claims up to `limit` unpublished deliveries that are due (skipping rows another relay holds),
   * hands them to `send`, and in the same transaction marks the ones `send` reports sent and logs
   * their disclosure; a failed one is due again after `retryAfterMs(its failed attempts so far)`,
   * a refused one is parked. First it withholds (deletes) the unsent rows to a partner kind whose
   * consent the detention's later screening withdrew (ADR 0025), whatever wrote them and however
   * often they failed before; only the withdrawal of the notification itself still goes out.
   * Returns how many were claimed or withheld.
   */
  relay(
    limit: number,
    send: (batch: PendingDelivery[]) => Promise<{ sent: string[]; failed: FailedDelivery[] }>,
    disclosure: (delivery: PendingDelivery) => DisclosureFacts,
    retryAfterMs: (failedAttempts: number) => number,
  ): Promise<number>;
  /** Makes parked deliveries due again (at start: their recipient's configuration may be fixed). */
  unpark(): Promise<number>;
}
