/** Raw Kafka: produce with acks=all and consume the same records, kafkajs alone. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { eventWithId, perSecond, until } from '../support';

export interface KafkaBaseline {
  messages: number;
  messageBytes: number;
  produceMsgPerSecond: number;
  /** First send to last record consumed (consumer running before the first send). */
  endToEndMsgPerSecond: number;
}

/** The bench's Kafka client, with the login scripts/bench.sh gives it (the hub's demo principal). */
export function benchKafka(brokers: string[], clientId = 'nazorg-bench'): Kafka {
  const mechanism = process.env.KAFKA_SASL_MECHANISM;
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    ...(mechanism && mechanism !== 'none'
      ? {
          sasl: {
            mechanism: 'scram-sha-512' as const,
            username: process.env.KAFKA_SASL_USERNAME ?? '',
            password: process.env.KAFKA_SASL_PASSWORD ?? '',
          },
        }
      : {}),
  });
}

export async function runKafkaBaseline(
  brokers: string[],
  sample: string,
  count: number,
): Promise<KafkaBaseline> {
  const kafka = benchKafka(brokers);
  const topic = `bench.raw.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await Promise.all([producer.connect(), consumer.connect()]);
  let received = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      received += batch.messages.length;
    },
  });
  // Let the group settle before timing (a rebalance is not the broker's throughput).
  await until('the raw consumer to join its group', () => joined, 60_000);
  const t0 = Date.now();
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: Math.min(batch, count - i) }, (_, j) => ({
        key: `DJI-${(i + j) % 500}`,
        value: eventWithId(sample, randomUUID()),
      })),
    });
  }
  const produced = Date.now();
  await until('the raw Kafka records to be consumed', () => received >= count, 120_000);
  const consumed = Date.now();
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return {
    messages: count,
    messageBytes: Buffer.byteLength(sample),
    produceMsgPerSecond: perSecond(count, produced - t0),
    endToEndMsgPerSecond: perSecond(count, consumed - t0),
  };
}
