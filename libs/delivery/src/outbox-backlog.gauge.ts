import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { METRICS, MetricsPort } from '@nazorg/observability';
import { OUTBOX_BACKLOG, OutboxBacklogPort } from '@nazorg/persistence';

/** Feeds `nazorg_outbox_backlog` from the database at every scrape (one grouped count). */
@Injectable()
export class OutboxBacklogGauge implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly metrics: MetricsPort,
    @Inject(OUTBOX_BACKLOG) private readonly outbox: OutboxBacklogPort,
  ) {}

  onModuleInit(): void {
    this.metrics.observeOutboxBacklog(() => this.outbox.backlog());
  }
}
