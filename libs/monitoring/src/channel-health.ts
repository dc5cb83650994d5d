/** The shapes of GET /api/v1/channels (the console renders them as they are). */
export interface KafkaPartitionHealth {
  topic: string;
  partition: number;
  committedOffset: string;
  endOffset: string;
  lag: number;
  oldestUnconsumedAgeSeconds: number | null;
  stuck: boolean;
  stuckSince: string | null;
}

export interface QueueHealth {
  queue: string;
  depth: number;
  consumers: number;
  /** An upper bound: seconds since this monitor last saw the queue empty (ADR 0012); null if empty or never seen empty. */
  oldestMessageAgeSeconds: number | null;
  stuck: boolean;
  stuckSince: string | null;
}

export interface RecipientHealth {
  recipientId: string;
  tenant: string | null;
  pending: number;
  failing: number;
  oldestPendingAgeSeconds: number | null;
  nextAttemptAt: string | null;
  stuck: boolean;
  stuckSince: string | null;
}

export interface ChannelsSnapshot {
  checkedAt: string;
  stuckAfterSeconds: number;
  kafka: KafkaPartitionHealth[];
  queues: QueueHealth[];
  recipients: RecipientHealth[];
}

/** Whose data: null for an operator (everything), a tenant id for its coordinator. */
export type MonitoringScope = string | null;
