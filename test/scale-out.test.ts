import { AppConfig, TenantsFile } from '@nazorg/config';
import { CloudEvent } from '@nazorg/contracts';
import { IngestionService } from '@nazorg/ingestion';
import { HOUSEKEEPING_ROLE, LEADER_ELECTION, LeaderElectionPort } from '@nazorg/persistence';
import { RetentionPurgeService } from '@nazorg/retention';
import { eventually, Events, HubHarness, RecipientProbe } from '@nazorg/testing';

/**
 * Two hubs side by side on one database, vhost and Kafka group (ADR 0019): they share the Kafka
 * partitions and the RabbitMQ ingress queue, their outbox relays share the outbox (SKIP LOCKED),
 * housekeeping runs in one of them, and when one stops mid-stream the other finishes: every event
 * stored once and delivered exactly once per recipient (by delivery id), none lost.
 */
describe('two hubs side by side', () => {
  let a: HubHarness;
  let b: HubHarness;
  let probe: RecipientProbe;
  const ingested: { hub: IngestionService; channel: string }[] = [];
  const purges: RetentionPurgeService[] = [];
  const stopped = new Set<HubHarness>();
  /** A hub still running, to read the shared database through. */
  const live = () => (stopped.has(a) ? b : a);

  beforeAll(async () => {
    // Who did the work: the instance each call ran on (the real services run, only observed).
    const ingest = IngestionService.prototype.ingest;
    jest.spyOn(IngestionService.prototype, 'ingest').mockImplementation(function (
      this: IngestionService,
      ...args: Parameters<IngestionService['ingest']>
    ) {
      ingested.push({ hub: this, channel: args[1] });
      return ingest.apply(this, args);
    });
    const purge = RetentionPurgeService.prototype.purgeExpired;
    jest.spyOn(RetentionPurgeService.prototype, 'purgeExpired').mockImplementation(function (
      this: RetentionPurgeService,
      now: Date,
    ) {
      purges.push(this);
      return purge.call(this, now);
    });
    a = await HubHarness.start({ probe: [] });
    b = await HubHarness.start({ probe: [], beside: true });
    const tenants = a.app.get(TenantsFile);
    const recipients = [
      ...tenants.tenants.flatMap((t) => t.recipients.map((r) => r.id)),
      ...tenants.sharedRecipients.map((r) => r.id),
    ];
    // The recipients' side, independent of either hub.
    probe = await RecipientProbe.start(a.app.get(AppConfig).amqpUrl('hub'), recipients);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await probe?.stop();
    for (const hub of [b, a]) if (hub && !stopped.has(hub)) await hub.stop();
  });

  const isLeader = (hub: HubHarness) =>
    hub.app.get<LeaderElectionPort>(LEADER_ELECTION).isLeader(HOUSEKEEPING_ROLE);
  const ingestionOf = (hub: HubHarness) => hub.app.get(IngestionService);

  /** Every RabbitMQ delivery of these feed events is published and reached its recipient once. */
  async function expectDeliveredExactlyOnce(events: CloudEvent<object>[]): Promise<number> {
    const ids = events.map((e) => e.id);
    const stored: { event_id: string; n: string }[] = await live().db.query(
      `select event_id, count(*) as n from inbound_event where event_id = any($1) group by event_id`,
      [ids],
    );
    expect(stored.length).toBe(events.length);
    expect(stored.filter((s) => Number(s.n) !== 1)).toEqual([]);
    const deliveries = async (): Promise<{ id: string; recipient_id: string; published: boolean }[]> =>
      live().db.query(
        `select d.id, d.recipient_id, d.published_at is not null as published
         from delivery d join inbound_event e on e.id = d.inbound_event_id
         where e.event_id = any($1) and d.channel->>'type' = 'rabbitmq'`,
        [ids],
      );
    await eventually(
      async () => (await deliveries()).every((d) => d.published),
      30000,
      'every delivery published',
    );
    const rows = await deliveries();
    // Every event reaches at least its tenant's recipients and ops.
    expect(rows.length).toBeGreaterThanOrEqual(events.length * 2);
    const wanted = new Set(rows.map((r) => r.id));
    await probe.waitFor(
      () =>
        new Set(probe.received.filter((m) => wanted.has(m.event.id)).map((m) => m.event.id)).size ===
        wanted.size,
      30000,
      'every delivery at its recipient',
    );
    const received = probe.received.filter((m) => wanted.has(m.event.id));
    // Exactly once: no delivery id twice (two relays never published one row both), and the
    // recipient is the row's.
    const counts = new Map<string, number>();
    for (const m of received) counts.set(m.event.id, (counts.get(m.event.id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
    const recipientOf = new Map(rows.map((r) => [r.id, r.recipient_id]));
    expect(received.filter((m) => recipientOf.get(m.event.id) !== m.recipientId)).toEqual([]);
    return rows.length;
  }

  it('share the Kafka partitions, the RabbitMQ ingress queue and the outbox; housekeeping runs in one', async () => {
    const events: CloudEvent<object>[] = [];
    for (let i = 0; i < 24; i++) {
      const kafka = Events.started();
      const rabbit = Events.started();
      const http = Events.started();
      events.push(kafka, rabbit, http);
      await a.publishKafka(kafka);
      await a.publishRabbitmq(rabbit);
      expect((await (i % 2 ? a : b).postHttp(http)).status).toBe(202);
    }
    await eventually(
      async () => {
        const [{ n }] = await live().db.query(
          `select count(*) as n from inbound_event where event_id = any($1)`,
          [events.map((e) => e.id)],
        );
        return Number(n) === events.length;
      },
      30000,
      'every event stored',
    );
    await expectDeliveredExactlyOnce(events);

    // Both hubs consumed from Kafka (each holds some of the partitions) and from the ingress queue.
    for (const channel of ['kafka', 'rabbitmq', 'http']) {
      const by = new Set(ingested.filter((x) => x.channel === channel).map((x) => x.hub));
      expect({ channel, a: by.has(ingestionOf(a)), b: by.has(ingestionOf(b)) }).toEqual({
        channel,
        a: true,
        b: true,
      });
    }
    // One housekeeping leader; the retention purge ran there only.
    expect([isLeader(a), isLeader(b)].filter(Boolean)).toHaveLength(1);
    const leader = isLeader(a) ? a : b;
    expect(purges.length).toBeGreaterThan(0);
    expect(new Set(purges)).toEqual(new Set([leader.app.get(RetentionPurgeService)]));
  });

  it('when one hub stops mid-stream the other finishes the work and takes over housekeeping', async () => {
    const [first, second] = isLeader(a) ? [a, b] : [b, a];
    const events: CloudEvent<object>[] = [];
    const send = async (count: number, http: HubHarness) => {
      for (let i = 0; i < count; i++) {
        const kafka = Events.started();
        const rabbit = Events.started();
        const viaHttp = Events.started();
        events.push(kafka, rabbit, viaHttp);
        await second.publishKafka(kafka);
        await second.publishRabbitmq(rabbit);
        expect((await http.postHttp(viaHttp)).status).toBe(202);
      }
    };
    await send(10, first);
    // The leader stops gracefully while its share is in flight; the stream goes on.
    stopped.add(first);
    purges.length = 0;
    const stopping = first.stop();
    await send(20, second);
    await stopping;
    await eventually(() => isLeader(second), 10000, 'the other hub to lead housekeeping');
    await eventually(
      async () => {
        const [{ n }] = await second.db.query(
          `select count(*) as n from inbound_event where event_id = any($1)`,
          [events.map((e) => e.id)],
        );
        return Number(n) === events.length;
      },
      60000,
      'every event stored',
    );
    await expectDeliveredExactlyOnce(events);
    await eventually(() => purges.length > 0, 10000, 'a retention purge on the new leader');
    expect(new Set(purges)).toEqual(new Set([second.app.get(RetentionPurgeService)]));
  });
});
