/**
 * Raw RabbitMQ with the hub's durability: persistent messages, publisher confirms, quorum queues,
 * consumers with manual acks. Once to one queue, once through a fanout to 6 queues (the hub's
 * 6 recipients per routed event).
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { perSecond, until } from '../support';

export interface RabbitmqRun {
  queues: number;
  published: number;
  /** Publishes confirmed per second (one publish reaches every bound queue). */
  publishedPerSecond: number;
  /** Messages consumed and acked per second, over all queues (first publish to last ack). */
  consumedPerSecond: number;
}

export interface RabbitmqBaseline {
  messageBytes: number;
  /** Publishes in flight before waiting for their confirms. */
  confirmWindow: number;
  oneQueue: RabbitmqRun;
  sixQueues: RabbitmqRun;
}

async function run(
  url: string,
  body: Buffer,
  queueCount: number,
  count: number,
  window: number,
): Promise<RabbitmqRun> {
  const model = await connect(url);
  const pub = await model.createConfirmChannel();
  const sub = await model.createChannel();
  await sub.prefetch(200);
  const exchange = `bench.raw.${randomUUID().slice(0, 8)}`;
  await pub.assertExchange(exchange, 'fanout', { durable: true, autoDelete: false });
  const queues = Array.from({ length: queueCount }, (_, i) => `${exchange}.q${i}`);
  let consumed = 0;
  for (const q of queues) {
    await pub.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await pub.bindQueue(q, exchange, '');
    await sub.consume(
      q,
      (msg) => {
        if (!msg) return;
        consumed += 1;
        sub.ack(msg);
      },
      { noAck: false },
    );
  }
  const t0 = Date.now();
  for (let i = 0; i < count; i += window) {
    for (let j = i; j < Math.min(count, i + window); j++)
      pub.publish(exchange, '', body, { persistent: true, mandatory: true, messageId: randomUUID() });
    await pub.waitForConfirms();
  }
  const published = Date.now();
  await until('the raw RabbitMQ messages to be consumed', () => consumed >= count * queueCount, 120_000);
  const done = Date.now();
  for (const q of queues) await pub.deleteQueue(q);
  await pub.deleteExchange(exchange);
  await model.close();
  return {
    queues: queueCount,
    published: count,
    publishedPerSecond: perSecond(count, published - t0),
    consumedPerSecond: perSecond(count * queueCount, done - t0),
  };
}

export async function runRabbitmqBaseline(
  url: string,
  sample: string,
  count: number,
): Promise<RabbitmqBaseline> {
  const body = Buffer.from(sample);
  const window = 100;
  return {
    messageBytes: body.length,
    confirmWindow: window,
    oneQueue: await run(url, body, 1, count, window),
    sixQueues: await run(url, body, 6, Math.ceil(count / 6), window),
  };
}
