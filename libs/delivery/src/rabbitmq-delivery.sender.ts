import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  AMQP_PUBLISHER,
  AmqpConnection,
  AmqpPublisherPort,
  closeChannel,
  declareHubTopology,
} from '@nazorg/messaging';
import { PendingDelivery } from '@nazorg/persistence';
import { TenantDirectory } from '@nazorg/routing';
import { DeliverySender, SendReport } from './delivery-sender.port';
import { loggableError } from '@nazorg/privacy';

/** `hub.deliveries` → `recipient.<id>`: persistent, confirmed, message id = delivery id. */
@Injectable()
export class RabbitmqDeliverySender implements DeliverySender, OnModuleInit {
  readonly channelType = 'rabbitmq';

  constructor(
    @Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort,
    private readonly connection: AmqpConnection,
    private readonly tenants: TenantDirectory,
  ) {}

  /**
   * The recipient queues must exist before the first publish: publishes are mandatory, so one to a
   * queue nobody declared yet comes back unroutable and waits for the relay's back-off. Module init
   * runs before any `onApplicationBootstrap`, so before the relay starts; the step runs again after
   * every reconnect (a broker that lost its definitions gets them back).
   */
  async onModuleInit(): Promise<void> {
    const recipients = this.tenants.allRecipients().map((r) => r.id);
    await this.connection.onConnect(async (model) => {
      const channel = await model.createChannel();
      try {
        await declareHubTopology(channel, recipients);
      } finally {
        await closeChannel(channel);
      }
    });
  }

  async send(batch: PendingDelivery[]): Promise<SendReport> {
    const results = await Promise.allSettled(
      batch.map((d) =>
        this.publisher.publish({
          exchange: d.exchange,
          routingKey: d.routingKey,
          body: JSON.stringify(d.message),
          messageId: d.id,
          contentType: 'application/cloudevents+json',
          // W3C trace context of the publish span (traceparent, tracestate).
          headers: d.traceHeaders,
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
    else out.failed.push({ id: batch[i].id, error: loggableError(r.reason) });
  });
  return out;
}
