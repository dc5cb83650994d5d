import { closeChannel } from '@nazorg/messaging';
import { connect } from 'amqplib';

const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

/**
 * A connection that drops between a channel's Close and the broker's CloseOk (a RabbitMQ restart)
 * left amqplib's `channel.close()` unsettled for good, and the hub's erasure pass that awaited it
 * with it: no withdrawn detention was erased again until the hub restarted (the fault suite's
 * rabbitmq-restart, in CI). On the real broker: the socket fails right after the Close is written.
 */
describe('closing a channel whose connection drops meanwhile', () => {
  async function channelLosingItsConnection() {
    const model = await connect(process.env.TEST_AMQP_TOOL_URL as string);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    const socket = (model.connection as unknown as { stream: { destroy(error: Error): void } }).stream;
    // As a broker going away looks to amqplib: the socket fails (it listens for 'error' and 'end').
    return { channel, drop: () => socket.destroy(new Error('read ECONNRESET')) };
  }

  it("amqplib's own close() never settles (why closeChannel exists)", async () => {
    const { channel, drop } = await channelLosingItsConnection();
    const closing = channel.close();
    closing.catch(() => undefined);
    drop();
    expect(await settlesWithin(closing, 1000)).toBe(false);
  });

  it('closeChannel settles', async () => {
    const { channel, drop } = await channelLosingItsConnection();
    const closing = closeChannel(channel);
    drop();
    expect(await settlesWithin(closing, 1000)).toBe(true);
  });
});
