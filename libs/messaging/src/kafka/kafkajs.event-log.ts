import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import {
  Admin,
  ConfigResourceTypes,
  Consumer,
  Kafka,
  KafkaMessage,
  logLevel,
  LogEntry,
  Partitioners,
  Producer,
  SASLOptions,
} from 'kafkajs';
import { HandlingResult } from '../handling-result';
import {
  EventLogConsumerState,
  EventLogOutgoing,
  EventLogPort,
  EventLogRecord,
  EventLogSubscription,
  EventLogSubscriptionSpec,
  EventLogTopicSpec,
  PartitionOffsets,
} from './event-log.port';

const RETRY_BACKOFF_MS = [200, 500, 1000, 2000, 5000];

/** kafkajs' own interval for a pending request's next check (src/network/requestQueue). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer per broker connection forever once a response came in, with
 * nothing pending (`throttledUntil - Date.now()` is negative when not throttled): a consumer
 * with no traffic spun at about 3.5 % of a core (ADR 0027; tulios/kafkajs#1556, fix #1667 never
 * released). The fix: schedule a check only while requests wait, at the throttle's end or after
 * kafkajs' 10 ms, as before; with none waiting, `push` schedules one when the next must wait.
 * Applied only to the known shape of the method, so a kafkajs that fixed it keeps its own.
 * Returns whether it patched (now or before).
 */
export function fixKafkajsIdleRequestQueue(): boolean {
  // kafkajs' internal module: not in its types, and no package "exports" keep it out.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: KafkajsRequestQueue & { nazorgIdleFix?: true };
  };
  const proto = RequestQueue.prototype;
  if (proto.nazorgIdleFix) return true;
  const source = proto.scheduleCheckPendingRequests.toString();
  if (!source.includes('this.throttledUntil - Date.now()') || source.includes('return')) return false;
  proto.scheduleCheckPendingRequests = function (this: KafkajsRequestQueue) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  proto.nazorgIdleFix = true;
  return true;
}
fixKafkajsIdleRequestQueue();

/**
 * The kafkajs adapter of the EventLogPort. kafkajs is unmaintained since 2023 (docs/adr/0003): this
 * file is the only one that imports it. Offsets are committed manually, after the handler reports
 * the record durably handled; a record whose handler asks for a retry is fetched again after a
 * back-off (seek), so a transient failure neither skips nor blocks the partition forever, and one
 * bad record is handled (dead-lettered by the handler) like any other.
 */
@Injectable()
export class KafkajsEventLog implements EventLogPort, OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();
  private readonly states = new Map<Consumer, EventLogConsumerState>();
  private readonly clientId: string;
  private readonly sessionTimeoutMs: number;
  private readonly heartbeatIntervalMs: number;

  constructor(config: AppConfig) {
    this.clientId = config.KAFKA_CLIENT_ID;
    this.sessionTimeoutMs = config.KAFKA_SESSION_TIMEOUT_MS;
    this.heartbeatIntervalMs = config.KAFKA_HEARTBEAT_INTERVAL_MS;
    this.kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS.split(','),
      ...(config.KAFKA_SASL_MECHANISM === 'none' ? {} : { sasl: saslOptions(config) }),
      logLevel: logLevel.WARN,
      retry: { retries: 8, initialRetryTime: 200 },
      // kafkajs logs through this, never to the console; its entries carry no message payloads.
      logCreator: () => (entry: LogEntry) => {
        const text = `${entry.namespace}: ${entry.log.message}`;
        if (entry.level <= logLevel.ERROR) this.logger.error(text);
        else this.logger.warn(text);
      },
    });
  }

  async publish(topic: string, messages: EventLogOutgoing[]): Promise<void> {
    const producer = await this.getProducer();
    await producer.send({ topic, acks: -1, messages });
  }

  async ensureTopics(topics: EventLogTopicSpec[]): Promise<void> {
    const retention = (t: EventLogTopicSpec) =>
      t.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }];
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: 1,
            configEntries: retention(t),
          })),
        });
      }
      // An existing topic gets the retention too (a broker's default is 7 days). The hub's topics
      // carry no other override, which a (non-incremental) alterConfigs would reset.
      const altered = topics.filter((t) => existing.has(t.topic) && t.retentionMs !== undefined);
      if (altered.length) {
        await admin.alterConfigs({
          validateOnly: false,
          resources: altered.map((t) => ({
            type: ConfigResourceTypes.TOPIC,
            name: t.topic,
            configEntries: retention(t),
          })),
        });
      }
    });
  }

  async resetGroupToLatest(groupId: string, topic: string): Promise<void> {
    // Not admin.resetOffsets: it commits the sentinel -1, which a consumer reads as "no offset"
    // and so starts from the beginning. Commit the real high watermarks instead.
    // Right after a topic is created the broker may still answer "not the leader" for a moment
    // (seen on fresh machines): kafkajs marks that retriable, so try again with a fresh admin
    // client, whose metadata is fetched anew.
    await retryRetriable(() =>
      this.withAdmin(async (admin) => {
        const offsets = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
        });
      }),
    );
  }

  async subscribe(
    spec: EventLogSubscriptionSpec,
    handle: (record: EventLogRecord) => Promise<HandlingResult>,
  ): Promise<EventLogSubscription> {
    const consumer = this.kafka.consumer({
      groupId: spec.groupId,
      // A member that stops heartbeating (killed) holds its partitions for the session timeout;
      // a restarted hub's Kafka ingress waits that long to join (ADR 0019), so it is short.
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs,
      // A stop waits for the fetch in flight: a short long-poll keeps a graceful stop short.
      maxWaitTimeInMs: 1000,
      // rebalanceTimeout stays kafkajs' 60 s: it bounds how long a live member busy with a slow
      // record may take to rejoin, not how long a dead one is waited for (the session does that).
    });
    this.consumers.add(consumer);
    const state: EventLogConsumerState = { groupId: spec.groupId, connected: false };
    this.states.set(consumer, state);
    consumer.on(consumer.events.GROUP_JOIN, () => (state.connected = true));
    for (const lost of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP])
      consumer.on(lost, () => (state.connected = false));
    // Joined, or given up: a consumer stopped (closed) or crashed for good before it joined.
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.STOP, () => reject(new Error('consumer stopped before joining')));
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) reject(event.payload.error);
      });
    });
    joined.catch(() => undefined);
    // Retries counted per position and offset: only a record that asked for a retry counts up.
    const failures = new Map<string, { offset: string; count: number }>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: spec.topics, fromBeginning: true });
      await this.run(consumer, spec, handle, failures);
      await joined;
    } catch (error) {
      this.consumers.delete(consumer);
      this.states.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        this.states.delete(consumer);
        // Finishes the record in hand, commits what was handled, and leaves the group.
        await consumer.disconnect();
      },
    };
  }

  private async run(
    consumer: Consumer,
    spec: EventLogSubscriptionSpec,
    handle: (record: EventLogRecord) => Promise<HandlingResult>,
    failures: Map<string, { offset: string; count: number }>,
  ): Promise<void> {
    const batchSize = spec.batch ? Math.max(1, spec.batch.maxRecords) : 1;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: spec.concurrency ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { topic, partition } = batch;
        let next: string | undefined;
        const commit = async () => {
          if (next !== undefined) await consumer.commitOffsets([{ topic, partition, offset: next }]);
        };
        const position = `${topic}/${partition}`;
        const recordOf = (message: KafkaMessage): EventLogRecord => {
          const failed = failures.get(position);
          return {
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8'),
            value: message.value ?? Buffer.alloc(0),
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [
                k,
                v === undefined ? undefined : String(v),
              ]),
            ),
            attempt: failed?.offset === message.offset ? failed.count + 1 : 1,
          };
        };
        // Handles the records in order until one asks for a retry; says how far it got.
        const handleInOrder = async (
          messages: KafkaMessage[],
          /** The records as the scope saw them (the same values, so what it read ahead applies). */
          records: EventLogRecord[] = messages.map(recordOf),
        ): Promise<{ handled: number; retry?: { message: KafkaMessage; reason: string } }> => {
          for (let i = 0; i < messages.length; i++) {
            let result: HandlingResult;
            try {
              result = await handle(records[i]);
            } catch (error) {
              result = HandlingResult.failed(error);
            }
            if (result.kind === 'retry')
              return { handled: i, retry: { message: messages[i], reason: result.reason } };
            if (result.kind === 'reject')
              this.logger.warn(`skipping ${position}@${messages[i].offset}: ${result.reason}`);
          }
          return { handled: messages.length };
        };
        for (let start = 0; start < batch.messages.length; start += batchSize) {
          if (!isRunning() || isStale()) break;
          const chunk = batch.messages.slice(start, start + batchSize);
          let outcome: Awaited<ReturnType<typeof handleInOrder>>;
          if (!spec.batch || chunk.length === 1) outcome = await handleInOrder(chunk);
          else {
            try {
              const records = chunk.map(recordOf);
              outcome = await spec.batch.scope.run(
                () => handleInOrder(chunk, records),
                records.map((r) => r.value),
              );
            } catch {
              // The batch's own transaction failed (its commit, the connection): nothing of it
              // is kept, so each record goes again on its own, with its own outcome.
              outcome = await handleInOrder(chunk);
            }
          }
          for (const message of chunk.slice(0, outcome.handled)) {
            resolveOffset(message.offset);
            next = (BigInt(message.offset) + 1n).toString();
          }
          // The record that had failed before went through (it leads the chunk after the seek).
          if (outcome.handled > 0) failures.delete(position);
          if (outcome.retry) {
            const { message, reason } = outcome.retry;
            const failed = failures.get(position);
            const count = failed?.offset === message.offset ? failed.count + 1 : 1;
            failures.set(position, { offset: message.offset, count });
            const delay = RETRY_BACKOFF_MS[Math.min(count - 1, RETRY_BACKOFF_MS.length - 1)];
            this.logger.warn(`retrying ${position}@${message.offset} in ${delay} ms: ${reason}`);
            await commit();
            // In steps, heartbeating: a back-off longer than the session must not cost the group
            // membership, and a stop or a rebalance must not wait for it. The seek comes after
            // it: kafkajs counts a batch with a pending seek as stale, which ended the back-off at
            // once (a record failing on its content went through its attempts in a few seconds).
            for (const until = Date.now() + delay; Date.now() < until && isRunning() && !isStale();) {
              await sleep(Math.min(500, until - Date.now()));
              await heartbeat().catch(() => undefined);
            }
            // Without the seek the next fetch would go on after this batch. A stopping consumer
            // needs none: the next owner starts at the committed offset, this record's.
            if (isRunning()) consumer.seek({ topic, partition, offset: message.offset });
            return;
          }
          await heartbeat();
        }
        await commit();
      },
    });
  }

  consumerStates(): EventLogConsumerState[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  async consumerOffsets(groupId: string, topics: string[]): Promise<PartitionOffsets[]> {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (!present.length) return [];
      const committed = await admin.fetchOffsets({ groupId, topics: present });
      const out: PartitionOffsets[] = [];
      for (const topic of present) {
        const ends = await admin.fetchTopicOffsets(topic);
        const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          out.push({
            topic,
            partition: end.partition,
            committedOffset: mine.find((p) => p.partition === end.partition)?.offset ?? '-1',
            endOffset: end.high,
          });
        }
      }
      return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    });
  }

  async recordTimestamps(
    topic: string,
    positions: { partition: number; offset: string }[],
    timeoutMs: number,
  ): Promise<{ partition: number; offset: string; timestamp: Date | null }[]> {
    const found = new Map<number, Date>();
    if (!positions.length) return [];
    // A group of its own that never commits: reading does not move anyone's position.
    const consumer = this.kafka.consumer({
      groupId: `${this.clientId}-probe-${process.pid}-${Date.now()}`,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
    const wanted = new Map(positions.map((p) => [p.partition, p.offset]));
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const offset = wanted.get(batch.partition);
          if (offset === undefined || found.has(batch.partition)) return;
          const message = batch.messages.find((m) => BigInt(m.offset) >= BigInt(offset));
          if (!message) return;
          found.set(batch.partition, new Date(Number(message.timestamp)));
          if (found.size === wanted.size) done();
        },
      });
      for (const [partition, offset] of wanted) consumer.seek({ topic, partition, offset });
      await Promise.race([all, sleep(timeoutMs)]);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return positions.map((p) => ({ ...p, timestamp: found.get(p.partition) ?? null }));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    this.states.clear();
    if (this.producer) await (await this.producer).disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private getProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
      });
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => (this.producer = undefined));
    }
    return this.producer;
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

/** This process's SASL login (validated by AppConfig: a production start has one). */
function saslOptions(config: AppConfig): SASLOptions {
  return {
    mechanism: config.KAFKA_SASL_MECHANISM,
    username: config.KAFKA_SASL_USERNAME,
    password: config.KAFKA_SASL_PASSWORD,
  } as SASLOptions;
}

async function retryRetriable<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await sleep(RETRY_BACKOFF_MS[Math.min(attempt - 1, 3)]);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
