import { randomUUID } from 'node:crypto';
import { AppConfig } from '@nazorg/config';
import {
  AMQP_PUBLISHER,
  AmqpConnection,
  AmqpPublisherPort,
  AmqpServer,
  declareExchanges,
  declareWorkQueue,
  EVENT_LOG,
  EventLogPort,
  HubExchanges,
  HubQueues,
  HandlingResult,
  KAFKA_DEAD_LETTER_HEADERS,
  kafkaDeadLetterTopic,
  KafkaServer,
} from '@nazorg/messaging';
import { connect } from 'amqplib';
import { CONFORMANCE_PATTERN, describeBrokerAdapterConformance } from './broker-adapter.conformance';

describeBrokerAdapterConformance('RabbitMQ (AmqpServer)', async () => {
  const queue = `conformance.${randomUUID().slice(0, 8)}`;
  const exchange = HubExchanges.INGRESS;
  let publisher: AmqpPublisherPort;
  let url = '';
  return {
    keepsRejected: true,
    async strategy(app) {
      publisher = app.get<AmqpPublisherPort>(AMQP_PUBLISHER);
      url = app.get<AppConfig>(AppConfig).AMQP_URL;
      return new AmqpServer(app.get<AmqpConnection>(AmqpConnection), {
        queues: { [queue]: CONFORMANCE_PATTERN },
        prefetch: 10,
        maxRetries: 5,
        contentFailureAttempts: 3,
        retryBaseMs: 50,
        attemptKey: 'conformance-retry-counter-key',
        declare: async (channel) => {
          await declareExchanges(channel);
          await declareWorkQueue(channel, queue, [{ exchange, pattern: queue }]);
        },
      });
    },
    send: (body) => publisher.publish({ exchange, routingKey: queue, body }),
    async deadLettered() {
      const model = await connect(url);
      const channel = await model.createChannel();
      const bodies: string[] = [];
      for (;;) {
        const msg = await channel.get(HubQueues.dead(queue), { noAck: false });
        if (!msg) break;
        bodies.push(msg.content.toString('utf8'));
      }
      await model.close();
      return bodies;
    },
    async cleanup() {
      const model = await connect(url);
      const channel = await model.createChannel();
      for (const q of [queue, HubQueues.dead(queue), HubQueues.retry(queue)]) await channel.deleteQueue(q);
      await model.close();
    },
  };
});

describeBrokerAdapterConformance('Kafka (KafkaServer on kafkajs)', async () => {
  const topic = `conformance.${randomUUID().slice(0, 8)}`;
  let eventLog: EventLogPort;
  // What arrives on the dead-letter topic, read by a consumer of its own (with the reason header).
  const dead: string[] = [];
  let deadReader: { stop(): Promise<void> } | undefined;
  return {
    keepsRejected: true,
    async strategy(app) {
      eventLog = app.get<EventLogPort>(EVENT_LOG);
      await eventLog.ensureTopics([{ topic, partitions: 1 }]);
      const server = new KafkaServer(eventLog, {
        groupId: `conformance-${randomUUID()}`,
        topics: { [topic]: CONFORMANCE_PATTERN },
        contentFailureAttempts: 3,
      });
      return server;
    },
    send: (body) => eventLog.publish(topic, [{ key: 'k', value: body }]),
    async deadLettered() {
      deadReader ??= await eventLog.subscribe(
        { groupId: `conformance-dead-${randomUUID()}`, topics: [kafkaDeadLetterTopic(topic)] },
        async (record) => {
          if (
            record.headers[KAFKA_DEAD_LETTER_HEADERS.reason] &&
            record.headers[KAFKA_DEAD_LETTER_HEADERS.offset]
          )
            dead.push(record.value.toString('utf8'));
          return HandlingResult.done();
        },
      );
      return dead;
    },
    cleanup: async () => {
      await deadReader?.stop();
    },
  };
});
