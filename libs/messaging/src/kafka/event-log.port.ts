import { HandlingResult } from '../handling-result';

/**
 * The one small port in front of Kafka. Everything Kafka-specific lives in its adapter
 * (kafkajs today), so a KafkaJS-compatible client can replace it (docs/adr/0003).
 */
export const EVENT_LOG = Symbol('EVENT_LOG');

export interface EventLogRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer;
  headers: Record<string, string | undefined>;
  /** 1 the first time this consumer hands the record over; counts the retries after it. */
  attempt: number;
}

export interface EventLogOutgoing {
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * Where a subscriber's durable work for several records can go at once (the hub: one database
 * transaction). Work run inside is committed when `run` resolves; if `run` rejects, none of it is.
 */
export interface BatchScope {
  /** `values`: the batch's record values, in order, for a scope that reads ahead for them. */
  run<T>(work: () => Promise<T>, values?: readonly Buffer[]): Promise<T>;
}

export interface EventLogSubscriptionSpec {
  groupId: string;
  topics: string[];
  /** Partitions handled in parallel; records within a partition are handled in order. */
  concurrency?: number;
  /**
   * Consecutive records of a partition handled inside one `scope.run` (default: each on its own).
   * Their offsets are committed only after the scope committed; a record that asks for a retry ends
   * the batch before it (the records ahead of it are kept); a batch whose scope fails is handled
   * again record by record, so one record cannot fail the others.
   */
  batch?: { scope: BatchScope; maxRecords: number };
}

export interface EventLogSubscription {
  stop(): Promise<void>;
}

/** One subscription's consumer as health checks see it. */
export interface EventLogConsumerState {
  groupId: string;
  /** In its group now; false after a crash or disconnect until the client has rejoined. */
  connected: boolean;
}

/**
 * Where a consumer group stands on one partition ('-1': nothing committed yet). Offsets are
 * Kafka's 64-bit integers as decimal strings, as kafkajs gives them.
 */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  committedOffset: string;
  endOffset: string;
}

export interface EventLogTopicSpec {
  topic: string;
  partitions: number;
  retentionMs?: number;
}

export interface EventLogPort {
  /** Resolves once the broker has the messages (all in-sync replicas). */
  publish(topic: string, messages: EventLogOutgoing[]): Promise<void>;
  /**
   * Handles each record in partition order; the offset is committed only after the handler
   * returns `done` (or `reject`), so a record is never skipped before it is durably handled.
   * Resolves once the consumer has joined its group and been assigned its partitions.
   */
  subscribe(
    spec: EventLogSubscriptionSpec,
    handle: (record: EventLogRecord) => Promise<HandlingResult>,
  ): Promise<EventLogSubscription>;
  /**
   * Creates the topics that are missing. With `retentionMs`, the topic keeps records that long,
   * whether it is created now or existed (ADR 0024: a feed event must not outlive its purpose).
   */
  ensureTopics(topics: EventLogTopicSpec[]): Promise<void>;
  /** Moves a group's committed offsets to the end of a topic (tests, and skipping history on purpose). */
  resetGroupToLatest(groupId: string, topic: string): Promise<void>;
  /** Every subscription not stopped (readiness probes). */
  consumerStates(): EventLogConsumerState[];
  /**
   * A group's committed offset ('-1': none yet) and the end offset of every partition of `topics`;
   * an empty list for a topic that does not exist yet.
   */
  consumerOffsets(groupId: string, topics: string[]): Promise<PartitionOffsets[]>;
  /**
   * The timestamps of the records at these offsets, read by a short-lived consumer of its own group
   * (it commits nothing); null where none arrived within `timeoutMs`.
   */
  recordTimestamps(
    topic: string,
    positions: { partition: number; offset: string }[],
    timeoutMs: number,
  ): Promise<{ partition: number; offset: string; timestamp: Date | null }[]>;
  close(): Promise<void>;
}
