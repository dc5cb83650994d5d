import {
  DetentionStart,
  LiveDetention,
  NewDelivery,
  NewInboundEvent,
  RoutingStatus,
  StoredEvent,
} from '@nazorg/persistence';

/** What a batch knows of one detention: read once under its lock, then kept up to date in memory. */
export interface BatchDetention {
  live: LiveDetention | null;
  rows: StoredEvent[];
}

/** The rows a batch's recording produced, to write in a few multi-row statements. */
export interface PendingRecords {
  /** Detentions whose row must exist (a non-start event: created without origin when new). */
  touched: string[];
  starts: DetentionStart[];
  releases: { detentionId: string; releasedAt: string }[];
  events: NewInboundEvent[];
  deliveries: NewDelivery[];
  /** Earlier events the batch routed (waiters of a start). */
  routing: { id: string; status: RoutingStatus; tenantId: string | null }[];
  /** Detentions whose case must be projected again. */
  caseRefresh: string[];
}

/**
 * The events of one Kafka batch (ADR 0028): what was read of their detentions at its start, and
 * the rows their recording produced, written at its end (or before an event that takes the
 * one-by-one way). Memory only: the batch's transaction is the truth, and a batch that fails is
 * recorded again event by event.
 */
export class RecordingBatch {
  /** Only detentions the batch may record in memory; any other takes the one-by-one way. */
  readonly detentions = new Map<string, BatchDetention>();
  /** `source NUL id` of the events (also their keyed ids) whose duplicates were looked up. */
  readonly checked = new Set<string>();
  /** `source NUL id` already stored (before or in this batch). */
  readonly stored = new Set<string>();

  private pending = RecordingBatch.nothing();

  static key(source: string, id: string): string {
    return `${source}\u0000${id}`;
  }

  private static nothing(): {
    touched: Set<string>;
    starts: Map<string, DetentionStart>;
    caseRefresh: Set<string>;
  } & Omit<PendingRecords, 'touched' | 'starts' | 'caseRefresh'> {
    return {
      touched: new Set(),
      starts: new Map(),
      releases: [],
      events: [],
      deliveries: [],
      routing: [],
      caseRefresh: new Set(),
    };
  }

  addEvent(row: NewInboundEvent): void {
    this.pending.events.push(row);
    this.stored.add(RecordingBatch.key(row.event.source, row.event.id));
  }

  touch(detentionId: string): void {
    this.pending.touched.add(detentionId);
  }

  start(start: DetentionStart): void {
    this.pending.starts.set(start.detentionId, start);
  }

  release(detentionId: string, releasedAt: string): void {
    this.pending.releases.push({ detentionId, releasedAt });
  }

  addDeliveries(deliveries: readonly NewDelivery[]): void {
    this.pending.deliveries.push(...deliveries);
  }

  setRouting(id: string, status: RoutingStatus, tenantId: string | null): void {
    this.pending.routing.push({ id, status, tenantId });
  }

  requestCaseRefresh(detentionId: string): void {
    this.pending.caseRefresh.add(detentionId);
  }

  /** What is pending, handed over once: the batch starts again with nothing pending. */
  takePending(): PendingRecords {
    const p = this.pending;
    this.pending = RecordingBatch.nothing();
    return {
      ...p,
      touched: [...p.touched],
      starts: [...p.starts.values()],
      caseRefresh: [...p.caseRefresh],
    };
  }
}
