import { OutboxRelayService } from '@nazorg/delivery';
import { Events, HubHarness } from '@nazorg/testing';

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
});
