import { OutboxRelayService } from '@nazorg/delivery';
import { OUTBOX, OutboxPort } from '@nazorg/persistence';
import { DEMO_TOKENS, Events, HubHarness, ProbedMessage, TEST_SOURCES } from '@nazorg/testing';

/**
 * The ordering promise (ADR 0022, issue 11): a recipient hears about one detention in the order
 * the hub stored its events, and nothing about a detention reaches anyone after its withdrawal
 * was stored: an event stored after it (a RabbitMQ retry, a slow sender) is kept, routed to no one.
 */
describe('ordering per recipient and detention', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const relay = () => hub.app.get(OutboxRelayService);

  it('routes an event stored after its detention’s withdrawal to no one, so no one new hears of it', async () => {
    // The relay holds back, so the withdrawal is stored but not gone out (the detention not erased).
    await relay().onApplicationShutdown();
    let relayStopped = true;
    try {
      const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
      const id = started.subject;
      expect((await hub.postHttp(started)).status).toBe(202);
      const withdrawn = Events.withdrawn(id);
      expect((await hub.postHttp(withdrawn)).status).toBe(202);
      // Sent before the withdrawal, arriving after it; its destination's coordinator (Westland)
      // heard nothing of the detention, so it would hear of it without the withdrawal following.
      const released = {
        ...Events.released(id, { destinationMunicipality: '1783' }),
        time: new Date(Date.parse(withdrawn.time) - 1000).toISOString(),
      };
      expect((await hub.postHttp(released)).status).toBe(202);

      const [stored] = await hub.db.query(
        `select routing_status, (select count(*) from delivery d where d.inbound_event_id = e.id)::int deliveries
         from inbound_event e where event_id = $1`,
        [released.id],
      );
      expect(stored).toEqual({ routing_status: 'withdrawn', deliveries: 0 });

      await relay().onApplicationBootstrap();
      relayStopped = false;
      await hub.probe.waitFor(() =>
        ['coordinator-haarlem', 'brp-haarlem', 'ops'].every((r) =>
          hub.probe.received.some((m) => m.recipientId === r && hub.causedBy(m, withdrawn.id)),
        ),
      );
      await hub.waitForCount(
        `select count(*) from detention where erased_at is not null and withdrawn_at is not null`,
        [],
        1,
      );
      // Every recipient that heard anything of the detention heard the withdrawal last.
      const byRecipient = new Map<string, string[]>();
      for (const m of hub.probe.received.filter(
        (m) => m.event.subject === id || hub.causedBy(m, started.id) || hub.causedBy(m, withdrawn.id),
      ))
        byRecipient.set(m.recipientId, [...(byRecipient.get(m.recipientId) ?? []), m.event.type]);
      expect(byRecipient.size).toBeGreaterThan(0);
      for (const [recipient, types] of byRecipient)
        expect([recipient, types.at(-1)]).toEqual([recipient, withdrawn.type]);
      expect(hub.probe.received.filter((m) => m.recipientId === 'coordinator-westland')).toEqual([]);
      expect(hub.probe.received.filter((m) => hub.causedBy(m, released.id))).toEqual([]);
    } finally {
      if (relayStopped) await relay().onApplicationBootstrap();
    }
  });

  it('never has two deliveries of one detention and recipient in flight, and sends them in stored order', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
    const id = started.subject;
    // All within one tenant: every recipient hears every event of the lifecycle.
    const lifecycle = [
      started,
      Events.screening(id),
      Events.releaseScheduled(id),
      Events.released(id, { destinationMunicipality: '0392' }),
    ];
    // The feed events themselves (not what the case projection sends because of them).
    const sameDetention = (m: ProbedMessage) =>
      lifecycle.slice(1).some((e) => hub.causedBy(m, e.id) && m.event.type === e.type);
    await relay().onApplicationShutdown();
    let relayStopped = true;
    try {
      for (const event of lifecycle)
        expect(
          (
            await hub.postHttp(
              event,
              event.source === TEST_SOURCES.DPAN ? DEMO_TOKENS.dpan : DEMO_TOKENS.injus,
            )
          ).status,
        ).toBe(202);
      const rowsOf = async (eventId: string): Promise<string[]> =>
        (
          await hub.db.query(
            `select d.id from delivery d join inbound_event e on e.id = d.inbound_event_id
             where e.event_id = $1 order by d.id`,
            [eventId],
          )
        ).map((r: { id: string }) => r.id);

      // Two relays claiming at once: the first gets the start's rows only, the second nothing of
      // this detention while they are in flight.
      const outbox = hub.app.get<OutboxPort>(OUTBOX);
      // (The case projection's own deliveries, e.g. a deadline alert, are left out here.)
      const feedRows = new Set((await Promise.all(lifecycle.map((e) => rowsOf(e.id)))).flat());
      const ofFeed = (claimed: { id: string }[]) => claimed.map((d) => d.id).filter((d) => feedRows.has(d));
      const first = await outbox.claimDue(100, 60_000);
      const second = await outbox.claimDue(100, 60_000);
      expect(ofFeed(first).sort()).toEqual(await rowsOf(started.id));
      expect(ofFeed(second)).toEqual([]);
      // Marked sent (as if confirmed), the screening's rows are next, one per recipient.
      await outbox.markSent(first.map((d) => d.id));
      const next = await outbox.claimDue(100, 60_000);
      expect(ofFeed(next).sort()).toEqual(await rowsOf(lifecycle[1].id));
      // Given back unsent (as after a failed publish), they come again before anything later.
      await outbox.markFailed(next.map((d) => ({ id: d.id, error: 'test', retryAfterMs: 0 })));

      await relay().onApplicationBootstrap();
      relayStopped = false;
      const recipients = new Set(first.filter((d) => feedRows.has(d.id)).map((d) => d.recipientId));
      const expected = lifecycle.slice(1).map((e) => e.type);
      await hub.probe.waitFor(() =>
        [...recipients].every(
          (r) => hub.probe.received.filter((m) => m.recipientId === r && sameDetention(m)).length >= 3,
        ),
      );
      // What the relay sent (all but the start, which the test marked), in lifecycle order.
      for (const r of recipients)
        expect([
          r,
          hub.probe.received.filter((m) => m.recipientId === r && sameDetention(m)).map((m) => m.event.type),
        ]).toEqual([r, expected]);
    } finally {
      if (relayStopped) await relay().onApplicationBootstrap();
    }
  });
});
