import { Injectable } from '@nestjs/common';
import { TenantsFile } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { AmqpConnection, HubQueues } from '@nazorg/messaging';

/**
 * Deliveries the broker adapters gave up on (a connector's external system kept failing, or refused
 * the request) wait in `dead.<queue>`. Operations see how many per queue and can send them back.
 */
@Injectable()
export class BrokerDeadLettersService {
  private readonly queues: { queue: string; tenantId: string | null }[];

  constructor(
    private readonly amqp: AmqpConnection,
    tenants: TenantsFile,
  ) {
    this.queues = [
      ...tenants.tenants.flatMap((t) =>
        t.recipients.map((r) => ({ queue: Channels.recipientQueue(r.id), tenantId: t.id as string | null })),
      ),
      ...tenants.sharedRecipients.map((r) => ({ queue: Channels.recipientQueue(r.id), tenantId: null })),
      { queue: HubQueues.INGRESS, tenantId: null },
      { queue: HubQueues.RESULTS, tenantId: null },
    ];
  }

  /** Messages waiting per dead-letter queue (non-empty ones only); a coordinator sees its tenant's. */
  async counts(tenantId: string | null): Promise<Record<string, number>> {
    const channel = await (await this.amqp.currentModel()).createChannel();
    const out: Record<string, number> = {};
    try {
      for (const { queue, tenantId: owner } of this.queues) {
        if (tenantId !== null && owner !== tenantId) continue;
        const { messageCount } = await channel.checkQueue(HubQueues.dead(queue));
        if (messageCount > 0) out[queue] = messageCount;
      }
    } catch {
      // A queue not declared yet has nothing dead in it.
    } finally {
      await channel.close().catch(() => undefined);
    }
    return out;
  }

  isKnown(queue: string): boolean {
    return this.queues.some((q) => q.queue === queue);
  }

  /** Moves every message of `dead.<queue>` back to `<queue>` with a fresh attempt count. */
  async replay(queue: string): Promise<number> {
    const channel = await (await this.amqp.currentModel()).createConfirmChannel();
    let moved = 0;
    try {
      for (;;) {
        const msg = await channel.get(HubQueues.dead(queue), { noAck: false });
        if (!msg) break;
        const headers = { ...msg.properties.headers };
        delete headers['x-nazorg-attempt'];
        delete headers['x-nazorg-dead-letter-reason'];
        delete headers['x-death'];
        await new Promise<void>((resolve, reject) =>
          channel.sendToQueue(
            queue,
            msg.content,
            {
              persistent: true,
              contentType: msg.properties.contentType,
              messageId: msg.properties.messageId,
              headers,
            },
            (error) => (error ? reject(error) : resolve()),
          ),
        );
        channel.ack(msg);
        moved++;
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
    return moved;
  }
}
