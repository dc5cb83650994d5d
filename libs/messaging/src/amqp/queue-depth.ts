import { AmqpConnection } from './amqp-connection';
import { closeChannel } from './close-channel';

/**
 * Messages ready in `queue`, 0 for a queue not declared yet. On a channel of its own: a missing
 * queue closes the channel with an error, which its own handler keeps from the connection.
 */
export async function queueDepth(amqp: AmqpConnection, queue: string): Promise<number> {
  const channel = await (await amqp.currentModel()).createChannel();
  channel.on('error', () => undefined);
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } catch {
    return 0;
  } finally {
    await closeChannel(channel);
  }
}
