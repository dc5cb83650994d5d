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
}

export interface DisclosureFacts {
  processingActivity: string;
  legalGround: string;
}

export interface OutboxPort {
  /**
   * Claims up to `limit` unpublished deliveries that are due (skipping rows another relay holds),
   * hands them to `send`, and in the same transaction marks the ones `send` reports sent and logs
   * their disclosure; a failed one is due again after `retryAfterMs(its failed attempts so far)`.
   * Returns how many were claimed.
   */
  relay(
    limit: number,
    send: (batch: PendingDelivery[]) => Promise<{ sent: string[]; failed: { id: string; error: string }[] }>,
    disclosure: (delivery: PendingDelivery) => DisclosureFacts,
    retryAfterMs: (failedAttempts: number) => number,
  ): Promise<number>;
}
