import { EventEmitter } from 'node:events';
import { closeChannel, ClosableChannel } from './close-channel';

/** A channel as amqplib leaves it when the connection drops mid-close: close() never settles. */
function channelLosingItsConnection(): ClosableChannel & EventEmitter {
  const channel = new EventEmitter() as EventEmitter & ClosableChannel;
  channel.close = () => {
    // The connection went away before CloseOk: amqplib moves the channel to closed and emits
    // 'close', but the promise close() returned is never settled.
    setImmediate(() => channel.emit('close'));
    return new Promise<void>(() => undefined);
  };
  return channel;
}

const settles = (p: Promise<unknown>, ms = 200) =>
  Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe('closeChannel', () => {
  it('settles when the connection drops between Close and CloseOk', async () => {
    await expect(settles(closeChannel(channelLosingItsConnection()))).resolves.toBe(true);
  });

  it('settles on a normal close, on a rejected one and on a channel already closed', async () => {
    const normal = Object.assign(new EventEmitter(), { close: () => Promise.resolve() });
    const rejected = Object.assign(new EventEmitter(), { close: () => Promise.reject(new Error('x')) });
    const closed = Object.assign(new EventEmitter(), {
      close: () => {
        throw new Error('Channel closed');
      },
    });
    for (const channel of [normal, rejected, closed])
      await expect(settles(closeChannel(channel as unknown as ClosableChannel))).resolves.toBe(true);
  });
});
