import { Channel } from 'amqplib';
import { Channels } from '@nazorg/contracts';

/**
 * The hub's RabbitMQ topology. Declared by every process at start-up (idempotent), so a fresh
 * broker needs no set-up (CONTRACT section 5). Work queues are quorum queues (replicated, durable,
 * with a delivery limit against poison messages); each has a dead-letter queue `dead.<queue>` and a
 * retry queue `retry.<queue>` whose expired messages flow back to it.
 */
export const HubExchanges = {
  INGRESS: Channels.RABBITMQ_INGRESS_EXCHANGE,
  DELIVERIES: Channels.DELIVERIES_EXCHANGE,
  RESULTS: Channels.RESULTS_EXCHANGE,
  DEAD_LETTER: 'hub.dead-letter',
  /**
   * Retry copies go through this exchange (routing key = the work queue), not the default one:
   * write access to the default exchange would let a connector put messages into any queue, while
   * topic permissions on this exchange limit it to its own queues' keys.
   */
  RETRY: 'hub.retry',
} as const;

export const HubQueues = {
  INGRESS: 'hub.ingress.injus-events',
  RESULTS: 'hub.results.inbox',
  dead: (queue: string) => `dead.${queue}`,
  retry: (queue: string) => `retry.${queue}`,
} as const;

const DELIVERY_LIMIT = 20;

export async function declareExchanges(channel: Channel): Promise<void> {
  for (const exchange of [
    HubExchanges.INGRESS,
    HubExchanges.DELIVERIES,
    HubExchanges.RESULTS,
    HubExchanges.DEAD_LETTER,
    HubExchanges.RETRY,
  ]) {
    await channel.assertExchange(exchange, 'topic', { durable: true });
  }
}

/** A quorum work queue with its retry and dead-letter queues. */
export async function declareWorkQueue(
  channel: Channel,
  queue: string,
  bindings: { exchange: string; pattern: string }[],
): Promise<void> {
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': HubExchanges.DEAD_LETTER,
      'x-dead-letter-routing-key': queue,
    },
  });
  for (const binding of bindings) await channel.bindQueue(queue, binding.exchange, binding.pattern);
  await channel.assertQueue(HubQueues.dead(queue), {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(HubQueues.dead(queue), HubExchanges.DEAD_LETTER, queue);
  // Messages wait here for their per-message TTL, then dead-letter through the default exchange
  // straight back into the work queue.
  await channel.assertQueue(HubQueues.retry(queue), {
    durable: true,
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
  });
  await channel.bindQueue(HubQueues.retry(queue), HubExchanges.RETRY, queue);
}

/** Everything the hub owns: exchanges, its ingress and results queues, one queue per recipient. */
export async function declareHubTopology(channel: Channel, recipientIds: string[]): Promise<void> {
  await declareExchanges(channel);
  await declareWorkQueue(channel, HubQueues.INGRESS, [{ exchange: HubExchanges.INGRESS, pattern: '#' }]);
  await declareWorkQueue(channel, HubQueues.RESULTS, [{ exchange: HubExchanges.RESULTS, pattern: '#' }]);
  for (const id of recipientIds) {
    await declareWorkQueue(channel, Channels.recipientQueue(id), [
      { exchange: HubExchanges.DELIVERIES, pattern: id },
    ]);
  }
}
