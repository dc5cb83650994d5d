import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AmqpConnection, HubQueues, queueDepth } from '@nazorg/messaging';
import { METRICS, MetricsPort } from '@nazorg/observability';

/** The hub's own queues: where feed events and results wait, are retried, or were given up on. */
const HUB_QUEUES = [HubQueues.INGRESS, HubQueues.RESULTS].flatMap((q) => [
  q,
  HubQueues.retry(q),
  HubQueues.dead(q),
]);

/**
 * Feeds `nazorg_queue_depth`: a RabbitMQ queue that grows (a consumer gone, a message cycling in
 * its retry queue, dead letters the store could not take) shows here, as Kafka lag does for the
 * topic. Read at every scrape; six passive declares, cheap.
 */
@Injectable()
export class QueueDepthGauge implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly metrics: MetricsPort,
    private readonly amqp: AmqpConnection,
  ) {}

  onModuleInit(): void {
    this.metrics.observeQueueDepth(async () =>
      Promise.all(HUB_QUEUES.map(async (queue) => ({ queue, messages: await queueDepth(this.amqp, queue) }))),
    );
  }
}
