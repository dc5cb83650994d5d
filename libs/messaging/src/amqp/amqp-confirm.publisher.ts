import { Injectable } from '@nestjs/common';
import { ConfirmChannel } from 'amqplib';
import { AmqpConnection } from './amqp-connection';
import { AmqpOutgoing, AmqpPublisherPort } from './amqp-publisher.port';

/**
 * Publishes persistent, mandatory messages on a confirm channel. A publish resolves only when the
 * broker has confirmed it, and rejects when the broker could not route it to any queue, so the
 * caller (the outbox relay) never marks as sent what no queue holds.
 */
@Injectable()
export class AmqpConfirmPublisher implements AmqpPublisherPort {
  private channel?: Promise<ConfirmChannel>;
  private readonly returned = new Set<string>();

  constructor(private readonly connection: AmqpConnection) {}

  async publish(message: AmqpOutgoing): Promise<void> {
    await this.publishAll([message]);
  }

  async publishAll(messages: AmqpOutgoing[]): Promise<void> {
    const channel = await this.confirmChannel();
    await Promise.all(
      messages.map(
        (m) =>
          new Promise<void>((resolve, reject) => {
            const messageId = m.messageId ?? `${Date.now()}-${Math.random()}`;
            const body = Buffer.isBuffer(m.body) ? m.body : Buffer.from(m.body, 'utf8');
            channel.publish(
              m.exchange,
              m.routingKey,
              body,
              {
                persistent: true,
                mandatory: true,
                messageId,
                // The broker refuses a user_id other than the connection's: consumers can trust it.
                userId: this.connection.user,
                contentType: m.contentType ?? 'application/cloudevents+json',
                headers: m.headers,
                timestamp: Math.floor(Date.now() / 1000),
              },
              (error) => {
                if (error) return reject(error instanceof Error ? error : new Error('publish not confirmed'));
                // basic.return arrives before the confirm of the same message.
                if (this.returned.delete(messageId)) {
                  return reject(new Error(`unroutable: no queue bound for ${m.exchange}/${m.routingKey}`));
                }
                resolve();
              },
            );
          }),
      ),
    );
  }

  private confirmChannel(): Promise<ConfirmChannel> {
    if (!this.channel) {
      this.channel = this.openChannel();
      this.channel.catch(() => (this.channel = undefined));
    }
    return this.channel;
  }

  /** A closed channel (lost connection, broker error) is replaced on the next publish. */
  private async openChannel(): Promise<ConfirmChannel> {
    const model = await this.connection.currentModel();
    const channel = await model.createConfirmChannel();
    channel.on('return', (msg) => {
      if (msg.properties.messageId) this.returned.add(String(msg.properties.messageId));
    });
    channel.on('close', () => (this.channel = undefined));
    channel.on('error', () => (this.channel = undefined));
    return channel;
  }
}
