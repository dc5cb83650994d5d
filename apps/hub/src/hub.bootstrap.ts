import { INestApplication, LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@nazorg/config';
import { Channels, DPAN_ANSWER_TOPIC } from '@nazorg/contracts';
import { OutboxRelayService } from '@nazorg/delivery';
import { ReadinessRegistry } from '@nazorg/health';
import {
  configureIngestHttp,
  INGEST_OPENAPI,
  IngressPatterns,
  IntakeGate,
  KafkaIngressBatchScope,
} from '@nazorg/ingestion';
import {
  AmqpConnection,
  AmqpServer,
  EVENT_LOG,
  EventLogPort,
  HubQueues,
  KafkaServer,
} from '@nazorg/messaging';
import { ProblemFilter, serveOpenApi } from '@nazorg/http';
import { HubModule } from './hub.module';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface HubBootstrapOptions {
  /** Listen on this HTTP port instead of HUB_HTTP_PORT (0: any free port; tests). */
  port?: number;
  /** Before the Kafka consumer joins (tests move the group's offsets to the end). */
  beforeKafkaSubscribe?: (eventLog: EventLogPort) => Promise<void>;
  /** Overrides LOG_LEVEL (tests that scan every log line for personal data). */
  logLevel?: LogLevel;
  /** Configuration to read instead of process.env (tests with their own keys or tenant file). */
  env?: Record<string, string | undefined>;
}

/**
 * Wires the hub's transports around HubModule; main.ts and the integration tests both use it.
 * Resolves once HTTP listens; the broker consumers start in the background (ReadinessRegistry's
 * `started()` resolves once they consume).
 */
export async function bootstrapHub(options: HubBootstrapOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(HubModule.forRoot({ env: options.env }), {
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(AppConfig);
  const level = options.logLevel ?? (config.LOG_LEVEL as LogLevel);
  app.useLogger(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1));
  app.enableShutdownHooks();
  // The one exception filter; global, so the broker transports inherit it too (inheritAppConfig),
  // where it leaves the decision to the adapter (UnexpectedErrorFilter's rethrow).
  app.useGlobalFilters(new ProblemFilter(app.get(HttpAdapterHost).httpAdapter));
  configureIngestHttp(app);
  serveOpenApi(app, INGEST_OPENAPI);
  // Migrations run in init: no consumer may start before the schema is there.
  try {
    await app.init();
  } catch (error) {
    // A refused start (e.g. a missing data key) must not leave connections open behind it.
    await app.close().catch(() => undefined);
    throw error;
  }

  const queues: Record<string, string> = { [HubQueues.RESULTS]: IngressPatterns.RESULTS };
  if (config.INGRESS_RABBITMQ_ENABLED) queues[HubQueues.INGRESS] = IngressPatterns.RABBITMQ;
  const amqp = new AmqpServer(app.get(AmqpConnection), {
    queues,
    prefetch: config.AMQP_PREFETCH,
    // The hub's handlers never ask for a transient retry. Infrastructure failures (the database
    // away) retry for as long as it takes; a content failure is parked or dead-lettered after
    // INGRESS_CONTENT_FAILURE_ATTEMPTS (docs/adr/0013-failures-bounded-retries.md).
    maxRetries: Number.POSITIVE_INFINITY,
    contentFailureAttempts: config.INGRESS_CONTENT_FAILURE_ATTEMPTS,
    attemptKey: config.RETRY_COUNTER_KEY,
    retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
    // Ops moves dead letters back: its copies keep the original publisher like the hub's own.
    trustedCopiers: [config.amqpUser('ops')],
    drainMs: config.SHUTDOWN_DRAIN_MS,
    // No `declare`: the topology is declared once, during module init, by the RabbitMQ delivery
    // sender (before the relay and this consumer start, and again after every reconnect).
  });
  app.connectMicroservice({ strategy: amqp }, { inheritAppConfig: true });
  const kafka = config.INGRESS_KAFKA_ENABLED
    ? new KafkaServer(app.get<EventLogPort>(EVENT_LOG), {
        groupId: config.KAFKA_GROUP_ID,
        topics: { [Channels.KAFKA_INGRESS_TOPIC]: IngressPatterns.KAFKA },
        // One per partition of the ingress topic; order within a partition (a detention) is kept.
        concurrency: 6,
        // One transaction per batch of a partition's records (ADR 0022); one record's failure
        // is its own (a savepoint), and the batch falls back to one by one if it cannot commit.
        batch: {
          scope: app.get(KafkaIngressBatchScope),
          maxRecords: config.KAFKA_INGRESS_BATCH_SIZE,
        },
        contentFailureAttempts: config.INGRESS_CONTENT_FAILURE_ATTEMPTS,
        // Rejected records wait for an operator as long as the database's dead letters (ADR 0024).
        deadLetterRetentionMs: config.DEAD_LETTER_RETENTION_DAYS * 86_400_000,
        beforeSubscribe: async (eventLog) => {
          // Kafka is a buffer for catching up, not a store: feed events and DPAN answers stay only
          // as long as KAFKA_TOPIC_RETENTION_HOURS (docs/privacy.md).
          const retentionMs = config.KAFKA_TOPIC_RETENTION_HOURS * 3_600_000;
          await eventLog.ensureTopics([
            { topic: Channels.KAFKA_INGRESS_TOPIC, partitions: 6, retentionMs },
            // Where the hub answers DPAN (the outbox publishes there).
            { topic: DPAN_ANSWER_TOPIC, partitions: 3, retentionMs },
          ]);
          await options.beforeKafkaSubscribe?.(eventLog);
        },
      })
    : undefined;
  if (kafka) app.connectMicroservice({ strategy: kafka }, { inheritAppConfig: true });

  // Ready once every ingress consumes, the relay runs and HTTP takes events (ADR 0019).
  const readiness = app.get(ReadinessRegistry);
  const gate = app.get(IntakeGate);
  const relay = app.get(OutboxRelayService);
  readiness.register('http-intake', () => gate.isOpen);
  readiness.register('outbox-relay', () => relay.isRunning());

  // Listen first: HTTP ingest and the probes answer while the consumers start behind them, which
  // for Kafka can take a session timeout after a crash (ADR 0019). Both start servers return at once.
  await app.listen(options.port ?? config.HUB_HTTP_PORT, config.LISTEN_ADDRESS);
  await app.startAllMicroservices();
  readiness.register('results', () => amqp.isConsuming(HubQueues.RESULTS), amqp.whenRunning());
  if (config.INGRESS_RABBITMQ_ENABLED)
    readiness.register('rabbitmq-ingress', () => amqp.isConsuming(HubQueues.INGRESS), amqp.whenRunning());
  if (kafka) readiness.register('kafka-ingress', () => kafka.isRunning(), kafka.whenRunning());
  return app;
}
