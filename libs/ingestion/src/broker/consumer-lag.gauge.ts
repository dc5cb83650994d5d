import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { METRICS, MetricsPort } from '@nazorg/observability';

/**
 * Feeds `nazorg_kafka_consumer_lag`: per partition of the ingress topic, how far the hub's group
 * is behind its end (a partition held up by one record shows here first). Read at every scrape.
 */
@Injectable()
export class ConsumerLagGauge implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly metrics: MetricsPort,
    @Inject(EVENT_LOG) private readonly eventLog: EventLogPort,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.INGRESS_KAFKA_ENABLED) return;
    this.metrics.observeConsumerLag(async () =>
      (await this.eventLog.consumerOffsets(this.config.KAFKA_GROUP_ID, [Channels.KAFKA_INGRESS_TOPIC])).map(
        (p) => ({
          topic: p.topic,
          partition: p.partition,
          lag: Math.max(0, Number(p.endOffset) - Math.max(0, Number(p.committedOffset))),
        }),
      ),
    );
  }
}
