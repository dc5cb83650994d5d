import { INestApplication, LogLevel } from '@nestjs/common';
import { AppConfig, BrokerIdentity, TenantsFile } from '@nazorg/config';
import { Channels, CloudEvent, FeedSource } from '@nazorg/contracts';
import {
  AmqpConfirmPublisher,
  AmqpConnection,
  AmqpPublisherPort,
  EVENT_LOG,
  EventLogPort,
  HandlingResult,
  HubQueues,
  KafkajsEventLog,
  queueDepth,
} from '@nazorg/messaging';
import { DATA_CIPHER, DataCipherPort, SealContext } from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DeliveryPlanner } from '@nazorg/routing';
import { ReadinessRegistry } from '@nazorg/health';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { bootstrapHub } from '../../apps/hub/src/hub.bootstrap';
import { eventually } from './eventually';
import { RecipientProbe } from './recipient.probe';

/** Every table of the hub's schema: leak and erasure checks go through all of them. */
export const HUB_TABLES = [
  'inbound_event',
  'detention',
  'delivery',
  'disclosure_record',
  'connector_result',
  'dead_letter',
  'aftercare_case',
  'case_alert',
  'case_refresh',
  'detention_key',
] as const;
/** Each sealed column, with the key of the row its values are bound to. */
const SEALED_COLUMNS: [string, string, SealContext, string][] = [
  ['inbound_event', 'event_sealed', 'inbound_event.event', 'id'],
  ['delivery', 'message_sealed', 'delivery.message', 'id'],
  ['connector_result', 'event_sealed', 'connector_result.event', 'id'],
  ['dead_letter', 'payload', 'dead_letter.payload', 'id'],
  ['aftercare_case', 'state_sealed', 'aftercare_case.state', 'detention_id'],
  ['aftercare_case', 'conditions_sealed', 'aftercare_case.conditions', 'detention_id'],
  ['disclosure_record', 'detention_sealed', 'disclosure_record.detention', 'id'],
];
/**
 * Binary columns that hold no personal data: the detentions' data keys, wrapped by the ring (ADR
 * 0026). Erasure deletes a detention's row; the erasure test checks none is left for it.
 */
const KEY_COLUMNS: [string, string][] = [['detention_key', 'wrapped']];

export const DEMO_TOKENS = { injus: 'demo-injus-token', dpan: 'demo-dpan-token' };

/**
 * Boots the real hub in-process against the real services, from a clean state: empty tables,
 * empty queues, and a Kafka consumer group that starts at the end of the topic.
 */
export class HubHarness {
  /** Publishers as other apps' RabbitMQ users (the feed's, a connector's), opened on first use. */
  private readonly publishersAs = new Map<
    BrokerIdentity,
    { connection: AmqpConnection; publisher: AmqpConfirmPublisher }
  >();

  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly db: DataSource,
    readonly probe: RecipientProbe,
  ) {}

  static async start(
    options: {
      probe?: string[] | 'all';
      logLevel?: LogLevel;
      /** Environment on top of process.env for this hub only (keys, tenant file). */
      env?: Record<string, string>;
      /** Keep what earlier hubs stored (restart tests); by default every start begins empty. */
      keepData?: boolean;
      /**
       * A second hub beside a running one (scale-out tests): keeps the data, the queues and the
       * consumer group's offsets as they are (the group cannot be moved while it has members).
       */
      beside?: boolean;
    } = {},
  ): Promise<HubHarness> {
    const env = options.env ? { ...process.env, ...options.env } : process.env;
    // Emptied before the hub starts: once it runs, its workers (relay, case refresh, retention,
    // aftercare scan) are busy with what an earlier test left, and a truncate then deadlocks them.
    if (!options.keepData && !options.beside) await emptyTables(env.DATABASE_URL as string);
    const app = await bootstrapHub({
      port: 0,
      logLevel: options.logLevel,
      env: options.env ? { ...process.env, ...options.env } : undefined,
      // Start at the end of the topic: events of earlier runs or of the demo are not this test's.
      beforeKafkaSubscribe: options.beside
        ? undefined
        : (eventLog) =>
            eventLog.resetGroupToLatest(process.env.KAFKA_GROUP_ID as string, Channels.KAFKA_INGRESS_TOPIC),
    });
    // bootstrapHub returns once HTTP listens; the tests publish on the brokers right away.
    await app.get(ReadinessRegistry).started();
    const db = app.get(DataSource);
    const config = app.get(AppConfig);
    const tenants = app.get(TenantsFile);
    const allRecipients = [
      ...tenants.tenants.flatMap((t) => t.recipients.map((r) => r.id)),
      ...tenants.sharedRecipients.map((r) => r.id),
    ];
    if (!options.beside) await resetQueues(app, allRecipients);
    const probed = options.probe === 'all' || options.probe === undefined ? allRecipients : options.probe;
    const probe = await RecipientProbe.start(config.amqpUrl('hub'), probed);
    return new HubHarness(app, (await app.getUrl()).replace('[::1]', '127.0.0.1'), db, probe);
  }

  /** As the feed's Kafka principal when the broker authenticates (TEST_KAFKA_FEED_*), else the hub's client. */
  publishKafka(
    event: CloudEvent<object> | string,
    key?: string,
    headers?: Record<string, string>,
  ): Promise<void> {
    const value = typeof event === 'string' ? event : JSON.stringify(event);
    const messageKey = key ?? (typeof event === 'string' ? 'unknown' : event.subject);
    return this.feedEventLog().publish(Channels.KAFKA_INGRESS_TOPIC, [{ key: messageKey, value, headers }]);
  }

  private feedLog?: KafkajsEventLog;
  private feedEventLog(): EventLogPort {
    const username = process.env.TEST_KAFKA_FEED_USERNAME;
    if (!username) return this.app.get<EventLogPort>(EVENT_LOG);
    this.feedLog ??= new KafkajsEventLog(
      Object.assign(new AppConfig(), this.app.get(AppConfig), {
        KAFKA_CLIENT_ID: 'nazorg-feed-test',
        KAFKA_SASL_USERNAME: username,
        KAFKA_SASL_PASSWORD: process.env.TEST_KAFKA_FEED_PASSWORD ?? '',
      }),
    );
    return this.feedLog;
  }

  /** As the feed user of the event's source (INJUS for a raw string), or as `as`. */
  publishRabbitmq(
    event: CloudEvent<object> | string,
    routingKey?: string,
    as?: BrokerIdentity,
  ): Promise<void> {
    const identity =
      as ?? (typeof event !== 'string' && event.source === FeedSource.DPAN ? 'feed-dpan' : 'feed-injus');
    return this.publisherAs(identity).publish({
      exchange: Channels.RABBITMQ_INGRESS_EXCHANGE,
      routingKey: routingKey ?? (typeof event === 'string' ? 'unknown' : event.type),
      body: typeof event === 'string' ? event : JSON.stringify(event),
      contentType: 'application/cloudevents+json',
    });
  }

  /** A confirm publisher connected as `identity`'s RabbitMQ user (closed by stop). */
  publisherAs(identity: BrokerIdentity): AmqpPublisherPort {
    let entry = this.publishersAs.get(identity);
    if (!entry) {
      const connection = new AmqpConnection(this.app.get(AppConfig), identity);
      entry = { connection, publisher: new AmqpConfirmPublisher(connection) };
      this.publishersAs.set(identity, entry);
    }
    return entry.publisher;
  }

  postHttp(
    body: CloudEvent<object> | string | Buffer,
    token: string | null = DEMO_TOKENS.injus,
  ): Promise<{ status: number; body: Record<string, unknown>; contentType: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return fetch(`${this.url}/api/v1/events`, { method: 'POST', headers, body: payload }).then(
      async (res) => ({
        status: res.status,
        body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
        contentType: res.headers.get('content-type'),
      }),
    );
  }

  /**
   * Listens on a Kafka topic from now on (a fresh consumer group at the topic's end) and collects
   * the CloudEvents that arrive, e.g. the DPAN answers the hub publishes.
   */
  async listenKafka(topic: string): Promise<{ received: CloudEvent[]; stop: () => Promise<void> }> {
    const eventLog = this.app.get<EventLogPort>(EVENT_LOG);
    const groupId = `test-listener-${topic}-${process.pid}-${Date.now()}`;
    await eventLog.ensureTopics([{ topic, partitions: 3 }]);
    await eventLog.resetGroupToLatest(groupId, topic);
    const received: CloudEvent[] = [];
    const subscription = await eventLog.subscribe({ groupId, topics: [topic] }, async (record) => {
      received.push(JSON.parse(record.value.toString('utf8')) as CloudEvent);
      return HandlingResult.done();
    });
    return { received, stop: () => subscription.stop() };
  }

  /** Whether a probed message was caused by the feed event `eventId` (ops see its keyed hash). */
  causedBy(message: { recipientId: string; event: CloudEvent }, eventId: string): boolean {
    const expected =
      message.recipientId === 'ops' ? this.app.get(DeliveryPlanner).opsEventRef(eventId) : eventId;
    return message.event.causationid === expected;
  }

  /** The keyed hash the hub files a detention under (the disclosure log, erased traces). */
  pseudonym(detentionId: string): string {
    return this.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(detentionId);
  }

  /** Opens a value the hub sealed at rest (tests read the database directly). */
  unseal<T = Record<string, unknown>>(sealed: Buffer, context: SealContext, row: string): Promise<T> {
    return this.app.get<DataCipherPort>(DATA_CIPHER).openJson<T>(sealed, { context, row });
  }

  /**
   * Where any of `secrets` is still in the database: in any column of any table as stored, or
   * inside a sealed value once opened (encryption at rest must not hide leftovers from tests).
   */
  async personalDataLeftovers(secrets: string[]): Promise<string[]> {
    const found: string[] = [];
    const check = (where: string, text: string) => {
      for (const s of secrets) if (text.includes(s)) found.push(`${where}: ${s}`);
    };
    // Every table of the schema, not a list someone must remember to extend (ADR 0024).
    const tables: { table_name: string }[] = await this.db.query(
      `select table_name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'migrations'`,
    );
    for (const { table_name: table } of tables) {
      const rows: { row: string }[] = await this.db.query(`select t::text as row from ${table} t`);
      for (const { row } of rows) check(table, row);
    }
    // A binary column is sealed data this scan must open: one it does not know of fails it.
    const binary: { table_name: string; column_name: string }[] = await this.db.query(
      `select table_name, column_name from information_schema.columns
       where table_schema = 'public' and data_type = 'bytea'`,
    );
    for (const { table_name: table, column_name: column } of binary)
      if (
        !SEALED_COLUMNS.some(([t, c]) => t === table && c === column) &&
        !KEY_COLUMNS.some(([t, c]) => t === table && c === column)
      )
        found.push(`${table}.${column}: a binary column the scan cannot open (add it to SEALED_COLUMNS)`);
    const cipher = this.app.get<DataCipherPort>(DATA_CIPHER);
    for (const [table, column, context, key] of SEALED_COLUMNS) {
      const rows: { sealed: Buffer; row: string }[] = await this.db.query(
        `select ${column} as sealed, ${key}::text as row from ${table} where ${column} is not null`,
      );
      for (const { sealed, row } of rows)
        check(`${table}.${column} (opened)`, (await cipher.open(sealed, { context, row })).toString('utf8'));
    }
    return found;
  }

  /**
   * What every queue the hub declares holds right now, read without taking it: each message is
   * fetched unacknowledged and returned to its queue when the channel closes.
   */
  async queuedMessages(): Promise<{ queue: string; content: string }[]> {
    const tenants = this.app.get(TenantsFile);
    const recipients = [
      ...tenants.tenants.flatMap((t) => t.recipients.map((r) => r.id)),
      ...tenants.sharedRecipients.map((r) => r.id),
    ];
    const amqp = this.app.get(AmqpConnection);
    const channel = await (await amqp.currentModel()).createChannel();
    const out: { queue: string; content: string }[] = [];
    try {
      for (const queue of hubQueues(recipients)) {
        for (;;) {
          const message = await channel.get(queue, { noAck: false });
          if (message === false) break;
          out.push({ queue, content: message.content.toString('utf8') });
        }
      }
    } finally {
      await channel.close();
    }
    // The broker puts them back asynchronously: until it has, the hub's own reads (a dead-letter
    // sweep) would not see them, so wait for each queue to hold them again.
    for (const queue of new Set(out.map((m) => m.queue))) {
      const read = out.filter((m) => m.queue === queue).length;
      await eventually(
        async () => (await queueDepth(amqp, queue)) >= read,
        5000,
        `${queue} to hold its messages again`,
      );
    }
    return out;
  }

  /** Polls an asynchronous condition (a broker count, a file) until it holds or `timeoutMs` passes. */
  async waitUntil(condition: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  /** Polls a SQL count until it reaches `expected` (or times out). */
  async waitForCount(sql: string, params: unknown[], expected: number, timeoutMs = 15000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ count }] = await this.db.query(sql, params);
      if (Number(count) >= expected || Date.now() > deadline) return Number(count);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.probe.stop();
    for (const { connection } of this.publishersAs.values()) await connection.onApplicationShutdown();
    this.publishersAs.clear();
    await this.feedLog?.close();
    await this.app.close();
  }
}

/** Empties every table of the hub's schema, if it exists yet (a new database gets it at start). */
async function emptyTables(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select t from unnest($1::text[]) t where to_regclass('public.' || t) is not null`,
      [HUB_TABLES],
    );
    // Only those the schema has yet (an older schema migrates at start).
    if (rows.length) await client.query(`truncate ${rows.map((r: { t: string }) => r.t).join(', ')} cascade`);
  } finally {
    await client.end();
  }
}

/** Every queue the hub declares: its ingress and results, each recipient's, with their dead and retry queues. */
function hubQueues(recipientIds: string[]): string[] {
  return [
    HubQueues.INGRESS,
    HubQueues.RESULTS,
    ...recipientIds.map((id) => Channels.recipientQueue(id)),
  ].flatMap((queue) => [queue, HubQueues.dead(queue), HubQueues.retry(queue)]);
}

async function resetQueues(app: INestApplication, recipientIds: string[]): Promise<void> {
  const model = await app.get(AmqpConnection).currentModel();
  const channel = await model.createChannel();
  try {
    for (const q of hubQueues(recipientIds)) await channel.purgeQueue(q);
  } finally {
    await channel.close();
  }
}
