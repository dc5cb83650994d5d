import { Inject, Injectable } from '@nestjs/common';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { PendingDelivery } from '@nazorg/persistence';
import { DeliverySender, SendReport } from './delivery-sender.port';

/**
 * Outbox rows for Kafka (the DPAN answer to DJI): one batch per topic, keyed by subject so a
 * detention's messages keep their order; reported sent only once the broker acknowledged them.
 */
@Injectable()
export class KafkaDeliverySender implements DeliverySender {
  readonly channelType = 'kafka';

  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLogPort) {}

  async send(batch: PendingDelivery[]): Promise<SendReport> {
    const byTopic = new Map<string, PendingDelivery[]>();
    for (const d of batch) {
      const topic = (d.channel as { topic?: string }).topic ?? d.routingKey;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), d]);
    }
    const out: SendReport = { sent: [], failed: [] };
    for (const [topic, rows] of byTopic) {
      try {
        await this.eventLog.publish(
          topic,
          rows.map((d) => ({
            key: String(d.message.subject ?? d.id),
            value: JSON.stringify(d.message),
            headers: d.traceHeaders,
          })),
        );
        out.sent.push(...rows.map((d) => d.id));
      } catch (error) {
        out.failed.push(...rows.map((d) => ({ id: d.id, error: (error as Error).message })));
      }
    }
    return out;
  }
}
