/**
 * The hub measured end to end, its apps as child processes on the real services: a burst, fixed
 * offered loads, the step search for R_hub, idle cost, onboarding replay, and the fault counts.
 */
import { readFileSync } from 'node:fs';
import { Channels } from '@nazorg/contracts';
import { benchKafka } from '../baselines/kafka.baseline';
import { Client } from 'pg';
import { parse } from 'yaml';
import { knob, log, perSecond, Percentiles, percentiles, round, sleep, until } from '../support';
import {
  cpuTicks,
  cpuTicksByService,
  involuntarySwitches,
  peakRssMb,
  RunningApp,
  startApp,
  stopApp,
  TICKS_PER_SECOND,
} from './apps';
import { BenchFeed, FeedCounts } from './feed';
import { BenchRecipients } from './recipients';
import { writeOnboardingCopies } from './onboarding-copies';
import { loadAppConfig } from '@nazorg/config';
import { erasedDeliveryId, erasedEventId, pseudonymizerFrom } from '@nazorg/privacy';

/** The hub's tables the bench empties before a run. */
const HUB_TABLES = [
  'inbound_event',
  'detention',
  'delivery',
  'disclosure_record',
  'dead_letter',
  'connector_result',
  'detention_key',
  'aftercare_case',
  'case_alert',
  'case_refresh',
];

export interface HubBenchOptions {
  databaseUrl: string;
  /** A login that may purge and bind queues (the bench's own tooling; the apps use their own users). */
  amqpToolUrl: string;
  /** The apps' AMQP URL, without a login: each app logs in as its own user (ADR 0017). */
  amqpAppUrl: string;
  brokers: string[];
  tenantsFile: string;
}

export interface BurstResult {
  events: number;
  records: number;
  deliveries: number;
  ms: number;
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  /** From the first publish to every delivery consumed; cases projected by then, or this many ms later. */
  casesProjectedAfterMs: number;
  latencyMs: Percentiles;
  /** Cores each service used during the burst (the machine's CPU, from /proc), most first. */
  cpuCoresByService: Record<string, number>;
  /** How often a second the kernel took the hub's CPU away while it could have gone on. */
  hubPreemptionsPerSecond: number;
}

export interface LoadResult {
  offeredEventsPerSecond: number;
  durationMs: number;
  events: number;
  /** Feed event copies consumed within 1 s after the last publish, as a share of all of them. */
  deliveredShareAt1s: number;
  /** Highest Kafka consumer lag (records) of the hub's group in the window's second half. */
  maxLagSecondHalf: number;
  latencyMs: Percentiles;
  /** Delivered within 1%, lag flat (second half at most 1 s of input), p99 < 1 s. */
  sustained: boolean;
}

export interface HubBenchResult {
  burst: BurstResult;
  loads: LoadResult[];
  rHubSearch: LoadResult[];
  /** R_hub: the highest offered rate (fixed loads and search) that was sustained (records/s), 0 if none. */
  rHub: number;
  /** Hub processes side by side (BENCH_HUBS). */
  hubProcesses: number;
  onboarding: {
    feature: string;
    events: number;
    backfillWriteMs: number;
    deliveredMs: number;
    totalMs: number;
    deliveriesPerSecond: number;
  };
  cost: {
    peakRssMb: Record<string, number>;
    idleSeconds: number;
    idleCpuPercentOfOneCore: number;
    idleCpuPerApp: Record<string, number>;
  };
  faults: FeedCounts & {
    lostEvents: number;
    lostDeliveries: number;
    doubledDeliveries: number;
    unexpectedDeliveries: number;
    deadLetters: number;
    deliveriesChecked: number;
  };
}

const ONBOARD_RECIPIENT = 'bench-onboard';

function recipientIds(tenantsFile: string): string[] {
  const doc = parse(readFileSync(tenantsFile, 'utf8')) as {
    tenants: { recipients: { id: string; channel?: { type?: string } }[] }[];
    sharedRecipients?: { id: string; channel?: { type?: string } }[];
  };
  return [...doc.tenants.flatMap((t) => t.recipients), ...(doc.sharedRecipients ?? [])]
    .filter((r) => (r.channel?.type ?? 'rabbitmq') === 'rabbitmq')
    .map((r) => r.id);
}

export async function runHubBench(
  options: HubBenchOptions,
  onProgress: (partial: Partial<HubBenchResult>) => void,
): Promise<HubBenchResult> {
  const kafka = benchKafka(options.brokers, 'nazorg-bench-feed');
  const groupId = `nazorg-bench-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  // The hub would create the topic too; here first, so the group can start at its end (earlier
  // runs' records stay unread).
  await admin
    .createTopics({
      topics: [{ topic: Channels.KAFKA_INGRESS_TOPIC, numPartitions: 6 }],
      waitForLeaders: true,
    })
    .catch(() => undefined);
  const high = await admin.fetchTopicOffsets(Channels.KAFKA_INGRESS_TOPIC);
  await admin.setOffsets({
    groupId,
    topic: Channels.KAFKA_INGRESS_TOPIC,
    partitions: high.map((o) => ({ partition: o.partition, offset: o.high })),
  });
  const lag = async (): Promise<number> => {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(Channels.KAFKA_INGRESS_TOPIC),
      admin.fetchOffsets({ groupId, topics: [Channels.KAFKA_INGRESS_TOPIC] }),
    ]);
    const done = new Map(committed[0].partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce(
      (sum, e) => sum + Math.max(0, Number(e.high) - Math.max(0, done.get(e.partition) ?? 0)),
      0,
    );
  };

  const appEnv = {
    // The injected invalid events would log a warning each; errors only keep the output readable.
    LOG_LEVEL: 'error',
    DATABASE_URL: options.databaseUrl,
    AMQP_URL: options.amqpAppUrl,
    KAFKA_BROKERS: options.brokers.join(','),
    KAFKA_GROUP_ID: groupId,
    TENANTS_FILE: options.tenantsFile,
  };
  // Emptied before the apps start: once they run, their workers (relay, case refresh, retention)
  // are busy with what an earlier run left, and a truncate deadlocked with them. Only the tables
  // that exist (a fresh database gets them from the hub's migrations).
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  const { rows: existing } = await db.query<{ name: string }>(
    `select t as name from unnest($1::text[]) t where to_regclass(t) is not null`,
    [HUB_TABLES],
  );
  if (existing.length) await db.query(`truncate ${existing.map((t) => t.name).join(', ')} cascade`);
  log('starting hub and ops as child processes');
  const apps: RunningApp[] = [await startApp('hub', appEnv, 'HUB_HTTP_PORT')];
  // BENCH_HUBS: hub processes side by side in one consumer group (scale-out, README), 1 by default.
  for (let i = 2; i <= knob('BENCH_HUBS', 1, 1); i++)
    apps.push(await startApp('hub', appEnv, 'HUB_HTTP_PORT', `hub-${i}`));
  apps.push(await startApp('ops', appEnv, 'OPS_HTTP_PORT'));
  const ids = recipientIds(options.tenantsFile);
  const { connect } = await import('amqplib');
  const tool = await connect(options.amqpToolUrl);
  const toolChannel = await tool.createChannel();
  for (const id of ids) await toolChannel.purgeQueue(Channels.recipientQueue(id));
  const recipients = await BenchRecipients.start(options.amqpToolUrl, ids);
  const feed = new BenchFeed(kafka);
  await feed.connect();

  /**
   * Every delivery published (lag 0 first: the cheap checks come first, since this runs every 50
   * ms beside the hub; counting all deliveries each time took a third of PostgreSQL's time in a
   * burst) and consumed.
   */
  const delivered = async () => {
    if ((await lag()) > 0) return false;
    const { rows } = await db.query(
      `select exists (select 1 from delivery where published_at is null) pending`,
    );
    if (rows[0].pending) return false;
    const { rows: amqp } = await db.query(
      `select count(*)::int n from delivery where coalesce(channel->>'type', 'rabbitmq') = 'rabbitmq'`,
    );
    return recipients.seen.size >= amqp[0].n;
  };
  /** Everything offered so far stored, routed, published, consumed and projected. */
  const drained = async () => {
    if (!(await delivered())) return false;
    const { rows } = await db.query(`select exists (select 1 from case_refresh) queued`);
    return !rows[0].queued && (await delivered());
  };
  const drainTimeout = knob('BENCH_DRAIN_TIMEOUT_MS', 600_000, 300_000);

  // 2. Burst: the lifecycles pushed to Kafka as fast as they go, until all is consumed and projected.
  const burstEvents = knob('BENCH_BURST_EVENTS', 3000, 600);
  log(`burst: ${burstEvents} events`);
  recipients.phase();
  const before = recipients.received;
  const t0 = Date.now();
  const recordsBefore = feed.counts.records;
  const pids = apps.map((a) => ({ name: a.name, pid: a.process.pid! }));
  const cpuBefore = cpuTicksByService(pids);
  const switchesBefore = involuntarySwitches(pids[0].pid);
  await feed.burst(burstEvents);
  let deliveredAt = 0;
  await until(
    'the burst to be delivered and projected',
    async () => {
      if (!deliveredAt && (await delivered())) deliveredAt = Date.now();
      return deliveredAt > 0 && (await drained());
    },
    drainTimeout,
  );
  const projectedAt = Date.now();
  const burstMs = projectedAt - t0;
  // Where the machine's cores went during the burst: the hub's own share and what it waits for.
  const cpuAfter = cpuTicksByService(pids);
  const cpuCoresByService = Object.fromEntries(
    Object.entries(cpuAfter)
      .map(
        ([k, v]) => [k, round((v - (cpuBefore[k] ?? 0)) / TICKS_PER_SECOND / (burstMs / 1000), 2)] as const,
      )
      .filter(([, cores]) => cores > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const hubPreemptionsPerSecond = round(
    (involuntarySwitches(pids[0].pid) - switchesBefore) / (burstMs / 1000),
    0,
  );
  const burstDeliveries = recipients.received - before;
  const burst: BurstResult = {
    events: burstEvents,
    records: feed.counts.records - recordsBefore,
    deliveries: burstDeliveries,
    ms: burstMs,
    eventsPerSecond: perSecond(burstEvents, burstMs),
    deliveriesPerSecond: perSecond(burstDeliveries, burstMs),
    casesProjectedAfterMs: projectedAt - deliveredAt,
    latencyMs: percentiles(recipients.phase()),
    cpuCoresByService,
    hubPreemptionsPerSecond,
  };
  onProgress({ burst });
  log(`burst: ${burst.eventsPerSecond} events/s, ${burst.deliveriesPerSecond} deliveries/s`);

  // 3. Fixed offered loads, then the step search for R_hub.
  const stepMs = knob('BENCH_STEP_MS', 20_000, 6_000);
  const maxEventsPerStep = knob('BENCH_MAX_STEP_EVENTS', 5000, 1500);
  const load = async (rate: number): Promise<LoadResult> => {
    const durationMs = Math.min(stepMs, Math.round((maxEventsPerStep / rate) * 1000));
    log(`offered load ${rate} events/s for ${durationMs} ms`);
    recipients.phase();
    const lags: number[] = [];
    let sampling = false;
    const started = Date.now();
    const sampler = setInterval(() => {
      if (sampling || Date.now() - started < durationMs / 2) return;
      sampling = true;
      void lag().then(
        (l) => {
          lags.push(l);
          sampling = false;
        },
        () => (sampling = false),
      );
    }, 500);
    const events = await feed.paced(rate, durationMs);
    clearInterval(sampler);
    await sleep(1000);
    const at1s = recipients.feedCopiesInPhase;
    await until(`offered load ${rate}/s to drain`, drained, drainTimeout);
    const latencies = recipients.phase();
    const share = latencies.length ? at1s / latencies.length : 0;
    const latencyMs = percentiles(latencies);
    const maxLagSecondHalf = lags.length ? Math.max(...lags) : 0;
    return {
      offeredEventsPerSecond: rate,
      durationMs,
      events,
      deliveredShareAt1s: round(share, 3),
      maxLagSecondHalf,
      latencyMs,
      sustained: share >= 0.99 && maxLagSecondHalf <= Math.max(rate, 10) && latencyMs.p99 < 1000,
    };
  };
  const loads: LoadResult[] = [];
  const fixed = (process.env.BENCH_LOADS ?? '50,200,1000').split(',').map(Number);
  for (const rate of fixed) {
    loads.push(await load(rate));
    onProgress({ burst, loads });
  }
  // 80% of the sustained maximum: the burst's rate, every delivery consumed and every case projected.
  loads.push(await load(Math.max(1, Math.round(0.8 * burst.eventsPerSecond))));
  onProgress({ burst, loads });

  // R_hub: a short step search. The fixed loads count too; it starts at the burst's rate (when 80%
  // of it held) or 60% of it, widens by 25% steps until the outcome flips, then halves the bracket
  // between the highest rate sustained and the lowest not sustained while steps remain.
  const rHubSearch: LoadResult[] = [];
  let rHub = Math.max(0, ...loads.filter((l) => l.sustained).map((l) => l.offeredEventsPerSecond));
  const eighty = loads[loads.length - 1];
  let rate = Math.max(5, Math.round((eighty.sustained ? 1 : 0.6) * burst.eventsPerSecond));
  if (eighty.sustained && rate <= eighty.offeredEventsPerSecond) rate = eighty.offeredEventsPerSecond + 1;
  const maxSteps = knob('BENCH_SEARCH_STEPS', 5, 3);
  let failedAt = Math.min(
    Number.POSITIVE_INFINITY,
    ...loads.filter((l) => !l.sustained).map((l) => l.offeredEventsPerSecond),
  );
  if (rate <= rHub || rate >= failedAt)
    rate = Number.isFinite(failedAt) ? Math.round((rHub + failedAt) / 2) : Math.round(rHub * 1.25);
  for (let step = 0; step < maxSteps; step++) {
    const result = await load(rate);
    rHubSearch.push(result);
    onProgress({ burst, loads, rHubSearch });
    if (result.sustained) rHub = Math.max(rHub, rate);
    else failedAt = Math.min(failedAt, rate);
    const next =
      failedAt === Number.POSITIVE_INFINITY
        ? Math.round(rate * 1.25)
        : rHub === 0
          ? Math.max(1, Math.round(rate * 0.75))
          : Math.round((rHub + failedAt) / 2);
    // Within 5% (or 2 events/s) is close enough for a step search on a shared machine.
    if (next <= rHub || next >= failedAt || failedAt - rHub <= Math.max(2, 0.05 * failedAt)) break;
    rate = next;
  }
  log(`R_hub ${rHub} events/s`);

  // 5. Idle cost: every app together over an idle window.
  const idleSeconds = knob('BENCH_IDLE_SECONDS', 60, 15);
  log(`idle for ${idleSeconds} s`);
  await sleep(2000);
  const ticks0 = apps.map((a) => cpuTicks(a.process.pid!));
  await sleep(idleSeconds * 1000);
  const perApp: Record<string, number> = {};
  let idleTicks = 0;
  apps.forEach((a, i) => {
    const used = cpuTicks(a.process.pid!) - ticks0[i];
    idleTicks += used;
    perApp[a.name] = round((100 * used) / TICKS_PER_SECOND / idleSeconds, 2);
  });

  // 4. Onboarding replay (see the README: the hub has no replay for a new recipient yet; this is
  // the closest equivalent: a backfill's outbox rows for the new recipient, delivered by the relay).
  const onboardEvents = knob('BENCH_ONBOARD_EVENTS', 100_000, 10_000);
  log(`onboarding replay: ${onboardEvents} stored events to a new recipient`);
  const onboardQueue = Channels.recipientQueue(ONBOARD_RECIPIENT);
  await toolChannel.assertQueue(onboardQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await toolChannel.purgeQueue(onboardQueue);
  await toolChannel.bindQueue(onboardQueue, Channels.DELIVERIES_EXCHANGE, ONBOARD_RECIPIENT);
  await recipients.consume(ONBOARD_RECIPIENT);
  const receivedBefore = recipients.perQueue.get(onboardQueue) ?? 0;
  // The schema is the hub's: copy every column but those a copy must not share (robust to the
  // persistence adapters growing columns).
  const columns = async (table: string, except: string[]) =>
    (
      await db.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1
         order by ordinal_position`,
        [table],
      )
    ).rows
      .map((r) => r.column_name)
      .filter((c) => !except.includes(c));
  await db.query('begin');
  // History: copies of the stored events that have an ops copy, until there are enough of them.
  const eventCols = await columns('inbound_event', ['id', 'event_id']);
  const { rows: have } = await db.query(
    `select count(distinct inbound_event_id)::int n from delivery where recipient_id = 'ops'`,
  );
  await db.query(
    `with t as (select row_number() over (order by e.received_at) - 1 rn, e.*
                from inbound_event e where exists (select 1 from delivery d where d.inbound_event_id = e.id and d.recipient_id = 'ops')),
          n as (select count(*) c from t)
     insert into inbound_event (event_id, ${eventCols.join(', ')})
     select t.event_id || '-history-' || g, ${eventCols.map((c) => `t.${c}`).join(', ')}
     from generate_series(1, $1::int) g cross join n join t on t.rn = g % n.c`,
    [Math.max(0, onboardEvents - have[0].n)],
  );
  await db.query('commit');
  const h = Date.now();
  // The backfill: one outbox row per stored event for the new recipient, the message as the hub
  // sealed it for a kind every event goes to (its, or its original's, ops copy), sealed again for
  // the new row (onboarding-copies.ts).
  const deliveryCols = await columns('delivery', [
    'id',
    'inbound_event_id',
    'recipient_id',
    'routing_key',
    'detention_id',
    'created_at',
    'published_at',
    'publish_attempts',
    'last_error',
    'seq',
  ]);
  const onboardRows = await writeOnboardingCopies(db, appEnv, ONBOARD_RECIPIENT, onboardEvents, deliveryCols);
  const written = Date.now();
  await until(
    'the onboarding replay to be consumed',
    () => (recipients.perQueue.get(onboardQueue) ?? 0) - receivedBefore >= onboardRows,
    drainTimeout,
  );
  const onboardDone = Date.now();
  const onboarding = {
    feature:
      'none in the hub: closest equivalent measured (outbox rows for the new recipient, each message opened and sealed again for its row, written in one transaction, then delivered by the hub relay)',
    events: onboardRows,
    backfillWriteMs: written - h,
    deliveredMs: onboardDone - written,
    totalMs: onboardDone - h,
    deliveriesPerSecond: perSecond(onboardRows, onboardDone - written),
  };
  log(`onboarding: ${onboardRows} delivered in ${onboarding.totalMs} ms`);
  await until('everything to drain', drained, drainTimeout);

  const peak: Record<string, number> = {};
  for (const a of apps) peak[a.name] = peakRssMb(a.process.pid!);

  // 6. Fault counts over the whole run. A withdrawn (erased) detention's events and deliveries are
  // kept under keyed ids (ADR 0024): each is matched under its id and under its keyed id.
  const config = loadAppConfig({ ...process.env, ...appEnv });
  const keys = pseudonymizerFrom(config);
  const { rows: stored } = await db.query(
    `select count(*)::int n from unnest($1::text[], $2::text[], $3::text[]) v(source, id, keyed)
     where exists (select 1 from inbound_event i where i.source = v.source and i.event_id in (v.id, v.keyed))`,
    [
      feed.validIds.map((v) => v.source),
      feed.validIds.map((v) => v.id),
      feed.validIds.map((v) => erasedEventId(keys, v.source, v.id)),
    ],
  );
  const { rows: planned } = await db.query<{ id: string }>(
    `select id::text from delivery where coalesce(channel->>'type', 'rabbitmq') = 'rabbitmq'`,
  );
  const plannedIds = new Set(planned.map((r) => r.id));
  // Received under its id before the erasure, stored under the keyed one after it.
  const keyedSeen = new Set([...recipients.seen.keys()].map((id) => erasedDeliveryId(keys, id)));
  let lostDeliveries = 0;
  for (const id of plannedIds) if (!recipients.seen.has(id) && !keyedSeen.has(id)) lostDeliveries += 1;
  let doubled = 0;
  let unexpected = 0;
  for (const [id, times] of recipients.seen) {
    if (times > 1) doubled += 1;
    if (!plannedIds.has(id) && !plannedIds.has(erasedDeliveryId(keys, id))) unexpected += 1;
  }
  const { rows: dead } = await db.query(`select count(*)::int n from dead_letter`);
  const faults = {
    ...feed.counts,
    lostEvents: feed.validIds.length - stored[0].n,
    lostDeliveries,
    doubledDeliveries: doubled,
    unexpectedDeliveries: unexpected,
    deadLetters: dead[0].n,
    deliveriesChecked: plannedIds.size,
  };

  await feed.disconnect();
  await recipients.stop();
  await toolChannel.deleteQueue(onboardQueue).catch(() => undefined);
  for (const id of ids) await toolChannel.purgeQueue(Channels.recipientQueue(id)).catch(() => undefined);
  await tool.close();
  for (const a of [...apps].reverse()) await stopApp(a);
  await db.end();
  await admin.disconnect();
  return {
    burst,
    loads,
    rHubSearch,
    rHub,
    hubProcesses: apps.filter((a) => a.name.startsWith('hub')).length,
    onboarding,
    cost: {
      peakRssMb: peak,
      idleSeconds,
      idleCpuPercentOfOneCore: round((100 * idleTicks) / TICKS_PER_SECOND / idleSeconds, 2),
      idleCpuPerApp: perApp,
    },
    faults,
  };
}
