import { Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { TypedResultServer } from '../typed-result.server';
import { AmqpConnection } from './amqp-connection';
import { HubExchanges } from './amqp-topology';
import { loggableError } from '@nazorg/privacy';
import { settle } from '../retry-policy';
import { ATTEMPT_HEADER, ATTEMPT_MAC_HEADER, AttemptCounter } from './attempt-counter';
import { closeChannel } from './close-channel';

export interface AmqpServerOptions {
  /** Queue → the `@EventPattern` that handles its messages. */
  queues: Record<string, string>;
  prefetch: number;
  /**
   * Retries of a transient failure before a message is dead-lettered, attempts of a content failure,
   * and the first back-off (doubling, capped at 5 min). Infrastructure failures retry without limit.
   */
  maxRetries: number;
  contentFailureAttempts: number;
  retryBaseMs: number;
  /**
   * Users whose messages are the hub's own copies (retries, dead letters, replays): for those the
   * original publisher is read from PUBLISHER_HEADER. This process's own user is always one.
   */
  trustedCopiers?: string[];
  /** Signs the attempt count on retry copies (RETRY_COUNTER_KEY), so no publisher can set it. */
  attemptKey: string;
  /** Declares the topology before consuming (run again after each reconnect). */
  declare?: (channel: Channel) => Promise<void>;
  /** On close, how long messages in hand may take before they are returned unacked (default 5000). */
  drainMs?: number;
}

export { ATTEMPT_HEADER, ATTEMPT_MAC_HEADER } from './attempt-counter';
export const REASON_HEADER = 'x-nazorg-dead-letter-reason';
/** Who first published a message that the hub copied (retry, dead letter); trusted from its copiers only. */
export const PUBLISHER_HEADER = 'x-nazorg-published-by';
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * Nest custom transport strategy on amqplib. Manual acks only: a message is acked after its
 * handler's typed result says it is done, after a retry copy is confirmed in `retry.<queue>`, or
 * after a dead-letter copy (with its reason) is confirmed in `dead.<queue>`. Handlers stay plain
 * `@EventPattern` methods and never touch the channel.
 */
export class AmqpServer extends TypedResultServer implements CustomTransportStrategy {
  protected override readonly logger = new Logger(AmqpServer.name);
  private channel?: ConfirmChannel;
  private readonly inFlight = new Set<Promise<void>>();
  /** Queue → its consumer on the current channel; empty while not consuming. */
  private readonly consumerTags = new Map<string, string>();
  private starting?: Promise<void>;
  private closing = false;
  private readonly counter: AttemptCounter;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: AmqpServerOptions,
  ) {
    super();
    this.counter = new AttemptCounter(options.attemptKey);
  }

  /**
   * Reports ready at once and starts consuming in the background (ADR 0019), trying again with
   * back-off while RabbitMQ is away; after a lost connection AmqpConnection runs the step again.
   * `isConsuming(queue)` says whether a queue has its consumer now.
   */
  listen(callback: (error?: unknown) => void): void {
    try {
      this.assertHandlers(Object.values(this.options.queues));
    } catch (error) {
      return callback(error);
    }
    this.starting = this.startWithRetry();
    callback();
  }

  /** Whether `queue` has this server's consumer on a live channel (for readiness). */
  isConsuming(queue: string): boolean {
    return !this.closing && this.consumerTags.has(queue);
  }

  /** Resolves once every queue has its consumer (or the server closed first). */
  whenRunning(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        await this.connection.onConnect((model) => this.consume(model));
        return;
      } catch (error) {
        if (this.closing) return;
        const delay = Math.min(500 * 2 ** (attempt - 1), 5000);
        this.logger.warn(
          `RabbitMQ consumers not started (${loggableError(error)}), trying again in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async consume(model: ChannelModel): Promise<void> {
    if (this.closing) return;
    const channel = await model.createConfirmChannel();
    channel.on('close', () => {
      if (this.channel === channel) this.consumerTags.clear();
    });
    channel.on('error', () => undefined);
    if (this.options.declare) await this.options.declare(channel);
    await channel.prefetch(this.options.prefetch);
    this.consumerTags.clear();
    this.channel = channel;
    for (const queue of Object.keys(this.options.queues)) {
      const { consumerTag } = await channel.consume(
        queue,
        (msg) => msg && this.track(this.handle(channel, queue, msg)),
        { noAck: false },
      );
      this.consumerTags.set(queue, consumerTag);
    }
  }

  /**
   * A graceful stop: cancels the consumers (no new deliveries), gives the messages in hand up to
   * `drainMs` to finish (acked as usual), then closes the channel, which returns every message
   * still unacked to its queue (RabbitMQ requeues them for the other hubs, or for the next start).
   */
  async close(): Promise<void> {
    this.closing = true;
    const channel = this.channel;
    const tags = [...this.consumerTags.values()];
    this.consumerTags.clear();
    for (const tag of tags) await channel?.cancel(tag).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => true),
      new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(false), this.options.drainMs ?? 5000)),
      ),
    ]);
    clearTimeout(timer);
    if (!drained) this.logger.warn(`returning ${this.inFlight.size} unfinished message(s) to their queues`);
    if (channel) await closeChannel(channel);
  }

  on(): void {
    // No transport-level events are exposed; connection state is logged by AmqpConnection.
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(channel: ConfirmChannel, queue: string, msg: ConsumeMessage): Promise<void> {
    const messageId = msg.properties.messageId as string | undefined;
    const attempt = this.counter.attemptOf(queue, messageId, msg.content, msg.properties.headers);
    // A count the hub did not sign never reaches the handler (nor a copy the hub republishes).
    const headers = { ...msg.properties.headers };
    delete headers[ATTEMPT_HEADER];
    delete headers[ATTEMPT_MAC_HEADER];
    const result = await this.dispatch(this.options.queues[queue], {
      body: msg.content,
      headers: stringHeaders(headers),
      channel: queue,
      key: msg.fields.routingKey,
      attempt,
      publisher: this.publisherOf(msg),
    });
    const settlement = settle(result, attempt, this.options);
    try {
      if (settlement.action === 'ack') {
        channel.ack(msg);
      } else if (settlement.action === 'retry') {
        const delay = Math.min(this.options.retryBaseMs * 2 ** Math.min(attempt - 1, 20), MAX_BACKOFF_MS);
        await this.republish(
          channel,
          HubExchanges.RETRY,
          queue,
          msg,
          { ...headers, ...this.counter.headersFor(queue, messageId, msg.content, attempt) },
          String(delay),
        );
        channel.ack(msg);
      } else {
        this.logger.warn(`dead-lettering a message from ${queue}: ${settlement.reason}`);
        await this.republish(channel, HubExchanges.DEAD_LETTER, queue, msg, {
          ...headers,
          [ATTEMPT_HEADER]: String(attempt),
          [REASON_HEADER]: settlement.reason.slice(0, 500),
        });
        channel.ack(msg);
      }
    } catch (error) {
      // Could not settle it safely: leave it to the broker to redeliver (it counts deliveries).
      if (!this.closing) this.logger.warn(`settling a message from ${queue} failed: ${loggableError(error)}`);
      try {
        channel.nack(msg, false, true);
      } catch {
        // The channel is gone; the broker redelivers unacked messages by itself.
      }
    }
  }

  /**
   * The user that published `msg`, as RabbitMQ validated it (`user_id`), or, for a copy made by
   * the hub itself, the one recorded in the copy. A header on anyone else's message is ignored.
   */
  private publisherOf(msg: ConsumeMessage): string | undefined {
    const userId = msg.properties.userId as string | undefined;
    if (!userId) return undefined;
    const copiers = [this.connection.user, ...(this.options.trustedCopiers ?? [])];
    if (!copiers.includes(userId)) return userId;
    const recorded = msg.properties.headers?.[PUBLISHER_HEADER] as unknown;
    if (recorded === undefined) return userId;
    return Buffer.isBuffer(recorded) ? recorded.toString() : String(recorded);
  }

  private republish(
    channel: ConfirmChannel,
    exchange: string,
    routingKey: string,
    msg: ConsumeMessage,
    headers: Record<string, unknown>,
    expiration?: string,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      channel.publish(
        exchange,
        routingKey,
        msg.content,
        {
          contentType: msg.properties.contentType,
          messageId: msg.properties.messageId,
          timestamp: msg.properties.timestamp,
          type: msg.properties.type,
          persistent: true,
          expiration,
          // Ours (broker-validated); who first published it travels in PUBLISHER_HEADER, which
          // replaces any such header the original publisher set.
          userId: this.connection.user,
          headers: { ...headers, [PUBLISHER_HEADER]: this.publisherOf(msg) ?? '' },
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    out[key] =
      value === undefined || value === null
        ? undefined
        : Buffer.isBuffer(value)
          ? value.toString()
          : String(value);
  }
  return out;
}
