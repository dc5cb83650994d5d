import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';
import { Channels } from '@nazorg/contracts';

/** One delivery a recipient got from its `recipient.<id>` queue (a redelivery is another one). */
export interface TappedDelivery {
  recipientId: string;
  /** The delivery id (AMQP message id). */
  messageId: string;
  type: string;
  subject: string;
  causationid: string;
  /** When the broker handed it to the recipient (ms). */
  at: number;
}

const TRACE_EXCHANGE = 'amq.rabbitmq.trace';
const TRACE_QUEUE = 'faults.deliveries-traced';

/**
 * Sees what every recipient receives, from the broker's side: RabbitMQ's firehose
 * (`amq.rabbitmq.trace`, on for the suite's vhost from the node's start, scripts/test-faults.sh)
 * copies every message handed to a consumer of a `recipient.*` queue, whoever that consumer is (a
 * connector, or this tap itself for the recipients no app serves: coordinators and ops). A copy per
 * hand-over, so a redelivery is seen as such. Reconnects by itself across a broker restart; the
 * trace queue is a quorum queue, so copies made while the tap is away wait for it.
 */
export class DeliveryTap {
  readonly deliveries: TappedDelivery[] = [];
  private model?: ChannelModel;
  private stopped = false;
  private purged = false;

  constructor(
    private readonly url: string,
    /** Queues nobody else consumes: the tap acks them, as a recipient would. */
    private readonly served: string[],
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** Deliveries since `since` (ms). */
  since(since: number): TappedDelivery[] {
    return this.deliveries.filter((d) => d.at >= since);
  }

  get lastAt(): number {
    return this.deliveries.length ? this.deliveries[this.deliveries.length - 1].at : 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.model?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const model = await connect(this.url);
    this.model = model;
    model.on('error', () => undefined);
    model.on('close', () => {
      if (!this.stopped) void this.reconnect();
    });
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    await channel.prefetch(500);
    await channel.assertQueue(TRACE_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(TRACE_QUEUE, TRACE_EXCHANGE, 'deliver.recipient.#');
    // Copies an earlier run left are not this run's.
    if (!this.purged) await channel.purgeQueue(TRACE_QUEUE);
    this.purged = true;
    await channel.consume(TRACE_QUEUE, (msg) => msg && this.traced(channel, msg));
    for (const recipientId of this.served) {
      await channel.consume(Channels.recipientQueue(recipientId), (msg) => msg && channel.ack(msg));
    }
  }

  private async reconnect(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (this.stopped) return;
      try {
        await this.connect();
        return;
      } catch {
        // The broker is still away.
      }
    }
  }

  private traced(channel: Channel, msg: ConsumeMessage): void {
    const queue = msg.fields.routingKey.slice('deliver.'.length);
    const properties = (msg.properties.headers?.properties ?? {}) as { message_id?: string };
    try {
      const event = JSON.parse(msg.content.toString('utf8')) as Record<string, unknown>;
      this.deliveries.push({
        recipientId: queue.slice('recipient.'.length),
        messageId: String(properties.message_id ?? event.id),
        type: String(event.type),
        subject: String(event.subject),
        causationid: String(event.causationid ?? ''),
        at: Date.now(),
      });
    } catch {
      // Not a CloudEvent: nothing the hub delivers; ignored.
    }
    channel.ack(msg);
  }
}
