import { Inject, Injectable } from '@nestjs/common';
import { AMQP_PUBLISHER, AmqpPublisherPort } from '@nazorg/messaging';
import { PendingDelivery } from '@nazorg/persistence';
import { DeliverySender, SendReport } from './delivery-sender.port';

/** `hub.deliveries` → `recipient.<id>`: persistent, confirmed, message id = delivery id. */
@Injectable()
export class RabbitmqDeliverySender implements DeliverySender {
  readonly channelType = 'rabbitmq';

  constructor(@Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort) {}

  async send(batch: PendingDelivery[]): Promise<SendReport> {
    const results = await Promise.allSettled(
      batch.map((d) =>
        this.publisher.publish({
          exchange: d.exchange,
          routingKey: d.routingKey,
          body: JSON.stringify(d.message),
          messageId: d.id,
          contentType: 'application/cloudevents+json',
        }),
      ),
    );
    return report(batch, results);
  }
}

export function report(batch: PendingDelivery[], results: PromiseSettledResult<unknown>[]): SendReport {
  const out: SendReport = { sent: [], failed: [] };
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') out.sent.push(batch[i].id);
    else out.failed.push({ id: batch[i].id, error: (r.reason as Error)?.message ?? 'failed' });
  });
  return out;
}
