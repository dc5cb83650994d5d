/**
 * R_bare: the hub's work done by plain Node, without Nest, TypeORM or class-validator. Per Kafka
 * batch: one PostgreSQL transaction (idempotent insert of the batch + 6 outbox rows per event),
 * 6 confirmed persistent publishes per event to quorum queues, the rows marked sent, the offset
 * committed. One batch in flight, nothing overlapped: the naive pipeline the hub should match.
 * Done when every copy has been consumed (manual acks) from the 6 queues.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { eventWithId, perSecond, until } from '../support';
import { benchKafka } from './kafka.baseline';
import { createBenchTables, markSent, RECIPIENTS, storeBatch } from './postgres.baseline';

export interface BarePipelineBaseline {
  events: number;
  deliveries: number;
  /** R_bare: events per second, first batch taken to last copy consumed. */
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  batches: number;
  meanBatchSize: number;
}

export async function runBarePipelineBaseline(
  brokers: string[],
  databaseUrl: string,
  amqpUrl: string,
  sample: string,
  count: number,
): Promise<BarePipelineBaseline> {
  const kafka = benchKafka(brokers);
  const topic = `bench.bare.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  // The input is on the topic before the clock starts, as a backlog the pipeline works off.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < count; i += 500)
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
        key: `DJI-${(i + j) % 500}`,
        value: eventWithId(sample, randomUUID()),
      })),
    });
  await producer.disconnect();

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await createBenchTables(db);
  const model = await connect(amqpUrl);
  const pub = await model.createConfirmChannel();
  const exchange = `bench.bare.${randomUUID().slice(0, 8)}`;
  await pub.assertExchange(exchange, 'direct', { durable: true });
  const recipientsModel = await connect(amqpUrl);
  const sub = await recipientsModel.createChannel();
  await sub.prefetch(200);
  let consumed = 0;
  const queues: string[] = [];
  for (let r = 0; r < RECIPIENTS; r++) {
    const q = `${exchange}.recipient-${r}`;
    queues.push(q);
    await pub.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await pub.bindQueue(q, exchange, `recipient-${r}`);
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

  const consumer = kafka.consumer({ groupId: `bench-bare-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let t0 = 0;
  let batches = 0;
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (!t0) t0 = Date.now();
      batches += 1;
      const events = batch.messages.map((m) => {
        const json = m.value!.toString('utf8');
        return { id: (JSON.parse(json) as { id: string }).id, json };
      });
      const rows = await storeBatch(db, events);
      for (const row of rows)
        pub.publish(exchange, row.recipient, Buffer.from(row.message), {
          persistent: true,
          mandatory: true,
          messageId: row.id,
          contentType: 'application/cloudevents+json',
        });
      await pub.waitForConfirms();
      await markSent(
        db,
        rows.map((r) => r.id),
      );
      const last = batch.messages[batch.messages.length - 1].offset;
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) },
      ]);
      resolveOffset(last);
      await heartbeat();
    },
  });
  await until('the bare pipeline to deliver every copy', () => consumed >= count * RECIPIENTS, 300_000);
  const ms = Date.now() - t0;
  await consumer.disconnect();
  for (const q of queues) await pub.deleteQueue(q);
  await pub.deleteExchange(exchange);
  await model.close();
  await recipientsModel.close();
  await db.query(`drop table if exists bench_outbox; drop table if exists bench_inbound`);
  await db.end();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return {
    events: count,
    deliveries: count * RECIPIENTS,
    eventsPerSecond: perSecond(count, ms),
    deliveriesPerSecond: perSecond(count * RECIPIENTS, ms),
    batches,
    meanBatchSize: Math.round(count / Math.max(batches, 1)),
  };
}
