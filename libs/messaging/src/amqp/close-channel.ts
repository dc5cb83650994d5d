import type { Channel } from 'amqplib';

/** The part of an amqplib channel `closeChannel` needs. */
export type ClosableChannel = Pick<Channel, 'close' | 'once'>;

/**
 * Closes a channel, settling also when its connection goes away meanwhile. amqplib's
 * `channel.close()` waits for the broker's CloseOk; when the connection drops between the Close it
 * sends and that answer (a RabbitMQ restart), amqplib moves the channel to closed without ever
 * settling that promise, and whoever awaited it hung for good: the relay's erasure pass (so no
 * withdrawn detention was erased again until the hub restarted), the channel monitor, the
 * topology step that runs again after a reconnect. The channel's own 'close' event comes in both
 * cases, so settling on whichever is first always settles. Never rejects: the channel is gone.
 */
export function closeChannel(channel: ClosableChannel): Promise<void> {
  return new Promise<void>((resolve) => {
    channel.once('close', () => resolve());
    try {
      channel.close().then(
        () => resolve(),
        () => resolve(),
      );
    } catch {
      // Already closed (amqplib throws at once): nothing left to wait for.
      resolve();
    }
  });
}
