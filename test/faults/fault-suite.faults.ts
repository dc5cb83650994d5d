import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { AppConfig, loadAppConfig } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { KafkajsEventLog } from '@nazorg/messaging';
import { pseudonymizerFrom } from '@nazorg/privacy';
import { DeliveryTap, TappedDelivery } from './delivery-tap';
import {
  aboutSegment,
  caseStates,
  compareCases,
  compareDeliveries,
  describePending,
  feedCauses,
  nothingPending,
  Pending,
} from './fault-check';
import { FaultReport, FaultRow } from './fault-report';
import { appEnv, ARTIFACTS, emptyDatabase, queueDepths, sql, STACK } from './fault-stack';
import { FAULTS, FaultRun } from './faults';
import { FeedSinks, Ingress, INGRESSES, Markers, planSegments, stream, StreamProgress } from './feed-plan';
import { CONNECTOR_KINDS, Topology } from './topology';
import { eventually } from '../support/eventually';

/*
 * The fault suite (issue 11; `npm run test:faults`, scripts/test-faults.sh). Every fault gets a
 * segment of simulated lifecycles. First all segments run without any fault (the reference); then,
 * from empty, each segment runs again while its fault happens, and what the recipients received and
 * the cases are compared with the reference. Settings: README "Fault suite".
 */
const setting = (key: string, fallback: number) => (process.env[key] ? Number(process.env[key]) : fallback);
const EVENTS = setting('FAULTS_EVENTS', 10_000);
const RATE = setting('FAULTS_RATE', 40);
const REFERENCE_RATE = setting('FAULTS_REFERENCE_RATE', 100);
const SEED = setting('FAULTS_SEED', 11);
const QUIESCE_MS = setting('FAULTS_QUIESCE_MS', 240_000);
const RECOVERY_TIMEOUT_MS = setting('FAULTS_RECOVERY_TIMEOUT_MS', 180_000);
/** The stream has sent this share of its segment when the fault starts. */
const FAULT_AT = 0.3;
const ONLY = (process.env.FAULTS_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const SELECTED = ONLY.length ? FAULTS.filter((f) => ONLY.includes(f.name)) : FAULTS;
const TRACE_QUEUE = 'faults.deliveries-traced';
/** Recipients no app serves: the suite receives for them. */
const UNSERVED = ['coordinator-eemland-zuid', 'coordinator-westland', 'coordinator-haarlem', 'ops'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (ONLY.length && SELECTED.length !== ONLY.length)
  throw new Error(`FAULTS_ONLY names unknown faults; known: ${FAULTS.map((f) => f.name).join(', ')}`);

jest.setTimeout(60 * 60_000);

describe(`fault suite: ${EVENTS} events over Kafka, RabbitMQ and HTTP`, () => {
  const topology = new Topology();
  const config: AppConfig = loadAppConfig(appEnv());
  const pseudonymizer = pseudonymizerFrom(config);
  const admin = new KafkajsEventLog(
    Object.assign(new AppConfig(), config, { KAFKA_CLIENT_ID: 'nazorg-faults-admin' }),
  );
  const sinks = new FeedSinks(config, () => topology.liveHubUrls());
  const tap = new DeliveryTap(STACK.amqpToolUrl, UNSERVED);
  const report = new FaultReport(EVENTS, RATE);
  // Moments the events report: fixed, and in the past, so both runs send the same events.
  const segments = planSegments(
    SELECTED.map((f) => f.name),
    Math.ceil(EVENTS / SELECTED.length),
    SEED,
    Date.now() - 2 * 3600_000,
  );
  const reference = new Map<string, { deliveries: TappedDelivery[]; cases: Map<string, string> }>();
  const markers = new Markers(SEED ^ 0x7f4a7c15);
  const streams: StreamProgress[] = [];

  async function startApps(): Promise<void> {
    await topology.startMocks();
    // Every run of the hub's group starts at the topic's end: nothing of earlier runs is replayed.
    await admin.ensureTopics([{ topic: Channels.KAFKA_INGRESS_TOPIC, partitions: 6 }]);
    await admin.resetGroupToLatest(STACK.kafkaGroupId, Channels.KAFKA_INGRESS_TOPIC);
    topology.startHub(0);
    await topology.waitForHub(0);
    await purgeQueues();
    for (const kind of CONNECTOR_KINDS) topology.startConnector(kind);
    await topology.waitForConnectors();
  }

  async function purgeQueues(): Promise<void> {
    const model = await connect(STACK.amqpToolUrl);
    try {
      const channel = await model.createChannel();
      for (const queue of (await queueDepths()).keys())
        if (queue !== TRACE_QUEUE) await channel.purgeQueue(queue);
    } finally {
      await model.close().catch(() => undefined);
    }
  }

  /** Dead-lettered messages an earlier fault left (reported there): a later fault counts only its own. */
  let deadBefore: Record<string, number> = {};

  async function pendingNow(): Promise<Pending> {
    const [{ outbox }] = await sql<{ outbox: number }>(
      `select count(*)::int as outbox from delivery where published_at is null`,
    );
    const [{ refresh }] = await sql<{ refresh: number }>(`select count(*)::int as refresh from case_refresh`);
    const [{ dead }] = await sql<{ dead: number }>(`select count(*)::int as dead from dead_letter`);
    const [{ erasureDue }] = await sql<{ erasureDue: number }>(
      `select count(*)::int as "erasureDue" from detention where withdrawn_at is not null and erased_at is null`,
    );
    const queues: Record<string, number> = {};
    const deadLettered: Record<string, number> = {};
    for (const [queue, { ready, unacked }] of await queueDepths()) {
      if (queue === TRACE_QUEUE || ready + unacked === 0) continue;
      if (!queue.startsWith('dead.')) queues[queue] = ready + unacked;
      else if (ready + unacked > (deadBefore[queue] ?? 0))
        deadLettered[queue] = ready + unacked - (deadBefore[queue] ?? 0);
    }
    let kafkaLag = 0;
    for (const p of await admin.consumerOffsets(STACK.kafkaGroupId, [Channels.KAFKA_INGRESS_TOPIC]))
      kafkaLag += Number(p.endOffset) - Math.max(Number(p.committedOffset), 0);
    return { outbox, caseRefresh: refresh, erasureDue, queues, deadLettered, kafkaLag, deadLetterRows: dead };
  }

  /**
   * Waits until nothing moves: every event sent, nothing pending anywhere (dead-lettered messages
   * are final, so they do not hold this up but fail the check) and no delivery for 3 s, twice.
   */
  async function quiesce(progress: StreamProgress): Promise<{ pending?: Pending; quietAfterMs: number }> {
    const started = Date.now();
    let sent = false;
    void progress.done.then(() => (sent = true));
    let calm = 0;
    let pending: Pending | undefined;
    while (Date.now() - started < QUIESCE_MS) {
      await sleep(1000);
      try {
        pending = await pendingNow();
      } catch {
        calm = 0;
        continue;
      }
      const still = { ...pending, deadLettered: {} };
      calm = sent && nothingPending(still) && Date.now() - tap.lastAt > 3000 ? calm + 1 : 0;
      if (calm >= 2) break;
    }
    return { pending, quietAfterMs: Date.now() - started };
  }

  /**
   * After a fault: a fresh marker detention over each way in every second until one of them reaches
   * a recipient. Per way in: fault end → first marker delivery; and the first 202 of HTTP ingest.
   */
  async function measureRecovery(
    faultEnd: number,
  ): Promise<{ byIngress: Record<Ingress, number | null>; firstAcceptedHttp: number | null }> {
    const mine = new Map<string, Ingress>();
    const inFlight = new Set<Ingress>();
    const byIngress: Record<Ingress, number | null> = { kafka: null, rabbitmq: null, http: null };
    let firstAcceptedHttp: number | null = null;
    const deadline = faultEnd + RECOVERY_TIMEOUT_MS;
    while (Date.now() < deadline && INGRESSES.some((i) => byIngress[i] === null)) {
      for (const ingress of INGRESSES) {
        if (byIngress[ingress] !== null || inFlight.has(ingress)) continue;
        const marker = markers.next();
        mine.set(marker.id, ingress);
        mine.set(pseudonymizer.pseudonym(`event\u0000${marker.id}`), ingress);
        inFlight.add(ingress);
        void withTimeout(sinks.sinks[ingress].send(marker), 5000)
          .then(() => {
            if (ingress === 'http' && firstAcceptedHttp === null) firstAcceptedHttp = Date.now();
          })
          .catch(() => undefined)
          .finally(() => inFlight.delete(ingress));
      }
      await sleep(250);
      for (const d of tap.since(faultEnd)) {
        const ingress = mine.get(d.causationid);
        if (ingress && byIngress[ingress] === null) byIngress[ingress] = d.at - faultEnd;
      }
    }
    return { byIngress, firstAcceptedHttp };
  }

  beforeAll(async () => {
    rmSync(join(ARTIFACTS, 'logs'), { recursive: true, force: true });
    await emptyDatabase();
    await startApps();
    await tap.start();
    // The reference: every segment without any fault, then the deliveries and cases of each.
    for (const segment of segments) {
      const progress = stream(segment, sinks, REFERENCE_RATE);
      streams.push(progress);
      await progress.done;
    }
    const { pending } = await quiesce(streams[streams.length - 1]);
    if (!pending || !nothingPending(pending))
      throw new Error(
        `the fault-free run left work pending: ${pending ? describePending(pending) : 'unknown'}`,
      );
    for (const segment of segments)
      reference.set(segment.name, {
        deliveries: aboutSegment(tap.deliveries, segment, pseudonymizer),
        cases: await caseStates(segment.detentionIds),
      });
    report.reference = {
      events: segments.reduce((n, s) => n + s.events.length, 0),
      deliveries: tap.deliveries.length,
      deadLetterRows: pending.deadLetterRows,
    };
    // From empty again: the same lifecycles, now with a fault each.
    await topology.stopAll();
    tap.deliveries.length = 0;
    await emptyDatabase();
    await startApps();
  });

  afterAll(async () => {
    streams.forEach((s) => s.stop());
    report.write();
    await topology.stopAll();
    await tap.stop();
    await sinks.close();
    await admin.close();
  });

  it.each(SELECTED.map((f, i) => [f.name, f, segments[i]] as const))('%s', async (_name, fault, segment) => {
    const run: FaultRun = { topology, tap, progress: undefined as unknown as StreamProgress, notes: [] };
    const startedAt = Date.now();
    let row: FaultRow | undefined;
    try {
      deadBefore = {};
      deadBefore = (await pendingNow()).deadLettered;
      await fault.prepare?.(run);
      run.progress = stream(segment, sinks, RATE);
      streams.push(run.progress);
      await eventually(
        () => run.progress.sent + run.progress.refused >= FAULT_AT * run.progress.total,
        QUIESCE_MS,
        'the stream to get under way',
        50,
      );
      const faultStart = Date.now();
      await fault.inject(run);
      const faultEnd = Date.now();
      const recovery = await measureRecovery(faultEnd);
      const { pending, quietAfterMs } = await quiesce(run.progress);
      const expected = reference.get(segment.name) as {
        deliveries: TappedDelivery[];
        cases: Map<string, string>;
      };
      const received = aboutSegment(tap.since(startedAt), segment, pseudonymizer);
      const deliveries = compareDeliveries(expected.deliveries, received, feedCauses(segment, pseudonymizer));
      const cases = compareCases(expected.cases, await caseStates(segment.detentionIds), pseudonymizer);
      const receivedIds = new Set(received.map((d) => d.messageId));
      row = {
        fault: fault.name,
        title: fault.title,
        sent: run.progress.sent,
        refused: run.progress.refused,
        feedRetries: run.progress.retries,
        ...deliveries,
        caseMismatches: cases.differing,
        casesClockDecided: cases.clockDecided,
        pending: pending ? describePending(pending) : 'unknown (services unreachable)',
        nothingPending: !!pending && nothingPending(pending),
        faultSeconds: (faultEnd - faultStart) / 1000,
        recoveryByIngress: recovery.byIngress,
        firstAcceptedHttpAfterKillSeconds:
          run.killAt && recovery.firstAcceptedHttp ? (recovery.firstAcceptedHttp - run.killAt) / 1000 : null,
        quietAfterSeconds: quietAfterMs / 1000,
        inFlight: run.inFlight
          ? { count: run.inFlight.length, delivered: run.inFlight.filter((id) => receivedIds.has(id)).length }
          : undefined,
        notes: run.notes,
      };
    } finally {
      try {
        await fault.restore?.(run);
      } finally {
        // Back to one running hub and every connector consuming, whatever happened.
        if (!topology.hubs[0]?.running) topology.startHub(0);
        await topology.waitForHub(0);
        await topology.waitForConnectors();
        if (row) report.add(row);
        report.write();
      }
    }
    if (!row) throw new Error(`${fault.name}: the run did not complete`);
    expect({
      lost: row.lost,
      unexpected: row.unexpected,
      doubled: row.doubled,
      caseMismatches: row.caseMismatches,
      pending: row.nothingPending ? 'none' : row.pending,
      inFlightDelivered: row.inFlight ? row.inFlight.delivered === row.inFlight.count : true,
    }).toEqual({
      lost: [],
      unexpected: [],
      doubled: [],
      caseMismatches: [],
      pending: 'none',
      inFlightDelivered: true,
    });
  });
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms)),
  ]);
}
