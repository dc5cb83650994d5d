/** Publishes persistent messages on a confirm channel: resolves only once the broker has them. */
export const AMQP_PUBLISHER = Symbol('AMQP_PUBLISHER');

export interface AmqpOutgoing {
  exchange: string;
  routingKey: string;
  body: Buffer | string;
  messageId?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface AmqpPublisherPort {
  publish(message: AmqpOutgoing): Promise<void>;
  publishAll(messages: AmqpOutgoing[]): Promise<void>;
}
