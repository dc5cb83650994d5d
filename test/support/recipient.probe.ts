import { Channel, ChannelModel, connect } from 'amqplib';
import { Channels, CloudEvent } from '@nazorg/contracts';

export interface ProbedMessage {
  recipientId: string;
  event: CloudEvent;
  messageId: string | undefined;
  persistent: boolean;
}

/**
 * Stands in for recipients in tests: consumes `recipient.<id>` queues on the real broker and
 * keeps what arrived, so tests assert on what a recipient really receives.
 */
export class RecipientProbe {
  readonly received: ProbedMessage[] = [];
  private model?: ChannelModel;
  private channel?: Channel;
  private waiters: (() => void)[] = [];

  static async start(url: string, recipientIds: string[]): Promise<RecipientProbe> {
    const probe = new RecipientProbe();
    probe.model = await connect(url);
    probe.channel = await probe.model.createChannel();
    for (const id of recipientIds) {
      await probe.channel.consume(
        Channels.recipientQueue(id),
        (msg) => {
          if (!msg) return;
          probe.received.push({
            recipientId: id,
            event: JSON.parse(msg.content.toString('utf8')),
            messageId: msg.properties.messageId,
            persistent: msg.properties.deliveryMode === 2,
          });
          probe.channel?.ack(msg);
          probe.waiters.forEach((w) => w());
        },
        { noAck: false },
      );
    }
    return probe;
  }

  /** Messages about one detention (by subject, or by a pseudonym for ops). */
  about(subject: string, recipientId?: string): ProbedMessage[] {
    return this.received.filter(
      (m) => m.event.subject === subject && (!recipientId || m.recipientId === recipientId),
    );
  }

  async waitFor(predicate: () => boolean, timeoutMs = 15000, what = 'expected messages'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  async stop(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
    await this.model?.close().catch(() => undefined);
  }
}
