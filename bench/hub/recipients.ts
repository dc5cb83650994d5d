/**
 * Stands in for every recipient: consumes the recipient queues with manual acks and keeps, per
 * message id, how often it arrived, and per feed event copy the time from the feed's publish (the
 * event's `time`, stamped at publish) to receipt here.
 */
import { Channel, ChannelModel, connect } from 'amqplib';
import { ALL_DETENTION_EVENT_TYPES, Channels } from '@nazorg/contracts';

const FEED_TYPES = new Set<string>(ALL_DETENTION_EVENT_TYPES);

export class BenchRecipients {
  /** Times each message id arrived. */
  readonly seen = new Map<string, number>();
  /** Messages received (with repeats), per queue. */
  readonly perQueue = new Map<string, number>();
  received = 0;
  /** Latencies (ms) of feed event copies received since the last `phase()`. */
  private latencies: number[] = [];
  private model?: ChannelModel;
  private channel?: Channel;

  static async start(url: string, recipientIds: string[]): Promise<BenchRecipients> {
    const recipients = new BenchRecipients();
    recipients.model = await connect(url);
    recipients.channel = await recipients.model.createChannel();
    await recipients.channel.prefetch(500);
    for (const id of recipientIds) await recipients.consume(id);
    return recipients;
  }

  async consume(recipientId: string): Promise<void> {
    const channel = this.channel!;
    const queue = Channels.recipientQueue(recipientId);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const at = Date.now();
        this.received += 1;
        this.perQueue.set(queue, (this.perQueue.get(queue) ?? 0) + 1);
        const id = String(msg.properties.messageId);
        this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
        const event = JSON.parse(msg.content.toString('utf8')) as { type?: string; time?: string };
        if (event.type && FEED_TYPES.has(event.type) && event.time)
          this.latencies.push(at - Date.parse(event.time));
        channel.ack(msg);
      },
      { noAck: false },
    );
  }

  /** Starts a new measuring window; returns the latencies of the one before. */
  phase(): number[] {
    const done = this.latencies;
    this.latencies = [];
    return done;
  }

  get feedCopiesInPhase(): number {
    return this.latencies.length;
  }

  async stop(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
    await this.model?.close().catch(() => undefined);
  }
}
