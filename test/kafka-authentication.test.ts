import { randomUUID } from 'node:crypto';
import { Channels, DPAN_ANSWER_TOPIC } from '@nazorg/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaPrincipal, testKafka } from './support';

/**
 * Kafka with SASL/SCRAM and ACLs (scripts/infra/kafka.sh's default, docs/adr/0017): no login, no
 * access; the feed's principal may write the ingress topic but not read it; the hub's principal
 * reads it; ops' principal reads the hub's positions and the topic's records (the console's Kafka
 * health) with probe groups of its own, and writes nothing. Skipped only against a broker started with NAZORG_KAFKA_AUTH=none.
 */
const scram = process.env.NAZORG_KAFKA_AUTH === 'scram';
const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const client = (principal: KafkaPrincipal | null): Kafka =>
  testKafka(principal, { retry: { retries: 1, initialRetryTime: 100 }, connectionTimeout: 3000 });

(scram ? describe : describe.skip)('Kafka authentication and ACLs', () => {
  const topic = Channels.KAFKA_INGRESS_TOPIC;

  it('refuses a client without a login', async () => {
    const producer = client(null).producer();
    // The listener answers ApiVersions before authentication; anything else closes the connection.
    const sent = producer.connect().then(() => producer.send({ topic, messages: [{ value: 'anonymous' }] }));
    await expect(sent).rejects.toThrow();
    await producer.disconnect().catch(() => undefined);
  });

  it('refuses a wrong password', async () => {
    const kafka = new Kafka({
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      sasl: { mechanism: 'scram-sha-512', username: 'nazorg-feed', password: 'wrong' },
    });
    const producer = kafka.producer();
    await expect(producer.connect()).rejects.toThrow(/SASL|authentication/i);
    await producer.disconnect().catch(() => undefined);
  });

  it('lets the feed write the ingress topic, not read it, and the hub read what it wrote', async () => {
    const hubAdmin = client('hub').admin();
    await hubAdmin.connect();
    await hubAdmin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    await hubAdmin.disconnect();

    const marker = randomUUID();
    const producer = client('feed').producer();
    await producer.connect();
    const [sent] = await producer.send({ topic, acks: -1, messages: [{ key: marker, value: marker }] });
    await producer.disconnect();

    // Nor may it write anywhere else.
    const elsewhere = client('feed').producer();
    await elsewhere.connect();
    await expect(elsewhere.send({ topic: DPAN_ANSWER_TOPIC, messages: [{ value: 'x' }] })).rejects.toThrow(
      /authoriz/i,
    );
    await elsewhere.disconnect();

    const feedConsumer = client('feed').consumer({ groupId: `nazorg-feed-test-${marker}` });
    await feedConsumer.connect();
    const feedRead = new Promise<Error>((resolve) => {
      feedConsumer.on(feedConsumer.events.CRASH, (e) => resolve(e.payload.error));
    });
    await feedConsumer.subscribe({ topic, fromBeginning: true }).catch((e: Error) => e);
    void feedConsumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
    expect((await feedRead).message).toMatch(/authoriz/i);
    await feedConsumer.disconnect().catch(() => undefined);

    const hubConsumer = client('hub').consumer({ groupId: `nazorg-hub-test-auth-${marker}` });
    await hubConsumer.connect();
    // From the marker on: the ingress topic is shared and may hold many records of other runs
    // (reading it from the beginning outran the test's timeout after a few benchmark runs).
    await hubConsumer.subscribe({ topic, fromBeginning: false });
    const seen = new Promise<void>((resolve) => {
      void hubConsumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === marker) resolve();
        },
      });
    });
    hubConsumer.seek({ topic, partition: sent.partition, offset: sent.baseOffset ?? '0' });
    await seen;
    await hubConsumer.disconnect();
  });

  it("lets ops read the hub's positions and the ingress topic's records, not write them", async () => {
    const marker = randomUUID();
    const producer = client('hub').producer();
    await producer.connect();
    const [sent] = await producer.send({ topic, acks: -1, messages: [{ key: marker, value: marker }] });
    await producer.disconnect();

    const admin = client('ops').admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'nazorg-hub', topics: [topic] });
    expect(offsets[0].partitions).toHaveLength(6);
    expect((await admin.fetchTopicOffsets(topic)).length).toBe(6);
    await admin.disconnect();

    // As ChannelHealthService probes (kafkajs.event-log.ts recordTimestamps): a group of its own.
    const probe = client('ops').consumer({ groupId: `nazorg-hub-probe-test-${marker}` });
    await probe.connect();
    await probe.subscribe({ topic, fromBeginning: false });
    const seen = new Promise<void>((resolve) => {
      void probe.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === marker) resolve();
        },
      });
    });
    probe.seek({ topic, partition: sent.partition, offset: sent.baseOffset ?? '0' });
    await seen;
    await probe.disconnect();

    const writer = client('ops').producer();
    await writer.connect();
    await expect(writer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow(/authoriz/i);
    await writer.disconnect();
  });
});
