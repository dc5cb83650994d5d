import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Logger } from '@nestjs/common';
import {
  MetricsPort,
  OutboxBacklogRow,
  PartitionLag,
  QueueDepth,
  RecipientLabels,
  RejectReasonClass,
} from './metrics.port';

/** The event loop delay's sampling interval where no AppConfig says (the external mocks). */
export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 1000;

/** Seconds: from a few milliseconds (a hot path) to minutes (a recipient that was down). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The MetricsPort on prom-client, with a registry of its own per app instance (tests run several
 * apps in one process; each must scrape only its own), labelled `app`, with the default process
 * metrics.
 */
export class PrometheusMetrics implements MetricsPort {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();
  private backlogSource?: () => Promise<OutboxBacklogRow[]>;
  private lagSource?: () => Promise<PartitionLag[]>;
  private queueDepthSource?: () => Promise<QueueDepth[]>;

  private readonly received = this.counter('nazorg_events_received_total', 'Feed events received', [
    'channel',
  ]);
  private readonly rejected = this.counter(
    'nazorg_events_rejected_total',
    'Feed events refused and kept as dead letters (or forbidden), by reason class',
    ['channel', 'reason'],
  );
  private readonly stored = this.counter('nazorg_events_stored_total', 'Valid feed events stored', [
    'channel',
    'event_type',
  ]);
  private readonly duplicate = this.counter(
    'nazorg_events_duplicate_total',
    'Feed events already stored (same source and id)',
    ['channel'],
  );
  private readonly ingestSeconds = this.histogram(
    'nazorg_ingest_duration_seconds',
    'Receive to stored and routed',
    ['channel'],
  );
  private readonly published = this.counter(
    'nazorg_deliveries_published_total',
    'Deliveries confirmed by the broker or webhook',
    ['recipient_id', 'recipient_kind', 'tenant_id'],
  );
  private readonly retried = this.counter(
    'nazorg_deliveries_retried_total',
    'Delivery publishes that failed and will be tried again',
    ['recipient_id', 'recipient_kind', 'tenant_id'],
  );
  private readonly deadLettered = this.counter(
    'nazorg_deliveries_dead_lettered_total',
    'Deliveries a connector refused for good (kept in the dead-letter queue)',
    ['recipient_id'],
  );
  private readonly deliverySeconds = this.histogram(
    'nazorg_delivery_duration_seconds',
    'Outbox row written (event stored) to publish confirmed',
    ['recipient_kind'],
  );
  private readonly endToEndSeconds = this.histogram(
    'nazorg_end_to_end_duration_seconds',
    "The event's own time (feed) to its delivery confirmed",
    ['recipient_kind'],
  );
  private readonly results = this.counter(
    'nazorg_results_received_total',
    'Connector results received by the hub',
    ['recipient_id', 'result_type', 'outcome'],
  );
  private readonly connectorOutcomes = this.counter(
    'nazorg_connector_deliveries_total',
    'Deliveries handled by a connector, by outcome',
    ['connector', 'recipient_id', 'outcome'],
  );

  private readonly feedSent = this.counter('nazorg_feed_events_sent_total', 'Events the feed sent', [
    'sink',
    'outcome',
  ]);

  /**
   * `eventLoopResolutionMs`: how often the event loop delay is sampled (METRICS_EVENT_LOOP_RESOLUTION_MS).
   * prom-client's 10 ms woke an idle process 100 times a second (about 0.4 % of a core, ADR 0027);
   * a stall longer than the resolution is always seen, shorter ones only when they overlap a sample.
   */
  constructor(app: string, eventLoopResolutionMs = DEFAULT_EVENT_LOOP_RESOLUTION_MS) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: eventLoopResolutionMs });
    const backlog: Gauge<'recipient_id' | 'state'> = new Gauge({
      name: 'nazorg_outbox_backlog',
      help: 'Unpublished outbox rows per recipient (pending: not yet tried; failing: failed before)',
      labelNames: ['recipient_id', 'state'],
      registers: [this.registry],
      collect: async () => {
        if (!this.backlogSource) return;
        const rows = await this.read(this.backlogSource, 'outbox backlog');
        backlog.reset();
        for (const row of rows) backlog.set({ recipient_id: row.recipientId, state: row.state }, row.count);
      },
    });
    const lag: Gauge<'topic' | 'partition'> = new Gauge({
      name: 'nazorg_kafka_consumer_lag',
      help: "Records behind the end of each partition for the hub's consumer group",
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
      collect: async () => {
        if (!this.lagSource) return;
        const rows = await this.read(this.lagSource, 'consumer lag');
        lag.reset();
        for (const row of rows) lag.set({ topic: row.topic, partition: String(row.partition) }, row.lag);
      },
    });
    const depth: Gauge<'queue'> = new Gauge({
      name: 'nazorg_queue_depth',
      help: "Messages ready in the hub's own RabbitMQ queues (ingress, results, their retry and dead queues)",
      labelNames: ['queue'],
      registers: [this.registry],
      collect: async () => {
        if (!this.queueDepthSource) return;
        const rows = await this.read(this.queueDepthSource, 'queue depth');
        depth.reset();
        for (const row of rows) depth.set({ queue: row.queue }, row.messages);
      },
    });
  }

  eventReceived(channel: string): void {
    this.received.inc({ channel });
  }

  eventRejected(channel: string, reason: RejectReasonClass): void {
    this.rejected.inc({ channel, reason });
  }

  eventStored(channel: string, eventType: string, seconds: number): void {
    this.stored.inc({ channel, event_type: eventType });
    this.ingestSeconds.observe({ channel }, seconds);
  }

  eventDuplicate(channel: string): void {
    this.duplicate.inc({ channel });
  }

  deliveryPublished(r: RecipientLabels, sinceStoredSeconds: number, sinceEventSeconds?: number): void {
    this.published.inc(recipientLabels(r));
    this.deliverySeconds.observe({ recipient_kind: r.recipientKind }, Math.max(0, sinceStoredSeconds));
    if (sinceEventSeconds !== undefined && Number.isFinite(sinceEventSeconds))
      this.endToEndSeconds.observe({ recipient_kind: r.recipientKind }, Math.max(0, sinceEventSeconds));
  }

  deliveryRetried(r: RecipientLabels): void {
    this.retried.inc(recipientLabels(r));
  }

  resultReceived(recipientId: string, resultType: string, outcome: string): void {
    this.results.inc({ recipient_id: recipientId, result_type: resultType, outcome });
  }

  connectorHandled(connector: string, recipientId: string, outcome: string): void {
    this.connectorOutcomes.inc({ connector, recipient_id: recipientId, outcome });
  }

  deliveryDeadLettered(recipientId: string): void {
    this.deadLettered.inc({ recipient_id: recipientId });
  }

  feedEventSent(sink: string, outcome: 'sent' | 'refused' | 'failed'): void {
    this.feedSent.inc({ sink, outcome });
  }

  observeOutboxBacklog(source: () => Promise<OutboxBacklogRow[]>): void {
    this.backlogSource = source;
  }

  observeConsumerLag(source: () => Promise<PartitionLag[]>): void {
    this.lagSource = source;
  }

  observeQueueDepth(source: () => Promise<QueueDepth[]>): void {
    this.queueDepthSource = source;
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A source that fails (database or broker away) leaves its gauge empty, never the scrape failing. */
  private async read<T>(source: () => Promise<T[]>, what: string): Promise<T[]> {
    try {
      return await source();
    } catch (error) {
      this.logger.warn(`${what} not available: ${(error as Error).name}`);
      return [];
    }
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: L[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }
}

function recipientLabels(r: RecipientLabels) {
  return { recipient_id: r.recipientId, recipient_kind: r.recipientKind, tenant_id: r.tenantId };
}
