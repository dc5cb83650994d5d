import { CloudEvent } from '@nazorg/contracts';
import { Events, HubHarness } from '@nazorg/testing';

/**
 * The whole path on real brokers: an event entering through Kafka, RabbitMQ or HTTP reaches each
 * recipient of its tenant exactly once, trimmed to its profile, and no one else.
 */
const EEMLAND = ['brp', 'income', 'schuldhulp', 'zorg', 'coordinator'].map((k) => `${k}-eemland-zuid`);
const OTHERS = ['westland', 'haarlem'].flatMap((t) =>
  ['brp', 'income', 'schuldhulp', 'zorg', 'coordinator'].map((k) => `${k}-${t}`),
);

describe('ingress → routing → recipients (real Kafka, RabbitMQ, PostgreSQL)', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const channels: [string, (e: CloudEvent<object>) => Promise<unknown>][] = [
    ['Kafka', (e) => hub.publishKafka(e)],
    ['RabbitMQ', (e) => hub.publishRabbitmq(e)],
    ['HTTP', (e) => hub.postHttp(e)],
  ];

  it.each(channels)(
    'an event published through %s arrives once at each recipient of its tenant',
    async (_, send) => {
      const started = Events.started();
      await send(started);
      const subject = started.subject;
      await hub.probe.waitFor(() => EEMLAND.every((r) => hub.probe.about(subject, r).length > 0), 20000);
      // A barrier: a later event of the same detention arriving everywhere proves nothing else is coming.
      const barrier = Events.releaseScheduled(subject);
      await send(barrier);
      await hub.probe.waitFor(() =>
        EEMLAND.every((r) => hub.probe.about(subject, r).some((m) => m.event.type === barrier.type)),
      );

      for (const recipient of EEMLAND) {
        const got = hub.probe.about(subject, recipient).filter((m) => m.event.type === started.type);
        expect(got).toHaveLength(1);
        const [delivery] = got;
        expect(delivery.persistent).toBe(true);
        expect(delivery.messageId).toBe(delivery.event.id);
        expect(delivery.event).toMatchObject({
          specversion: '1.0',
          type: started.type,
          subject,
          correlationid: started.id,
          causationid: started.id,
          tenant: 'eemland-zuid',
          recipient,
        });
        expect(delivery.event.data.detentionId).toBe(subject);
      }
      // ops follows the flow under a pseudonym only.
      const ops = hub.probe.received.filter((m) => m.recipientId === 'ops' && hub.causedBy(m, started.id));
      expect(ops).toHaveLength(1);
      expect(ops[0].event.subject).not.toBe(subject);
      expect(JSON.stringify(ops[0].event)).not.toContain(subject);
      // Nor by the feed's event id, which DJI could look up: a keyed hash in both chain attributes.
      expect(JSON.stringify(ops[0].event)).not.toContain(started.id);
      expect(ops[0].event.correlationid).toBe(ops[0].event.causationid);
      // No other tenant heard of it.
      expect(
        hub.probe.received.filter((m) => OTHERS.includes(m.recipientId) && m.event.subject === subject),
      ).toEqual([]);
    },
  );

  it('a delivery id is unique per recipient and the same for the same event', async () => {
    const started = Events.started();
    await hub.publishKafka(started);
    await hub.probe.waitFor(() => EEMLAND.every((r) => hub.probe.about(started.subject, r).length > 0));
    const ids = EEMLAND.map((r) => hub.probe.about(started.subject, r)[0].event.id);
    expect(new Set(ids).size).toBe(EEMLAND.length);
    const rows: { id: string }[] = await hub.db.query(
      `select d.id from delivery d join inbound_event e on e.id = d.inbound_event_id where e.event_id = $1`,
      [started.id],
    );
    expect(rows.map((r) => r.id).sort()).toEqual(
      [
        ...ids,
        hub.probe.received.find((m) => m.recipientId === 'ops' && hub.causedBy(m, started.id))?.event.id,
      ]
        .filter(Boolean)
        .sort(),
    );
  });

  it('the same event twice (same source and id) is stored once and delivered once', async () => {
    const started = Events.started();
    await hub.publishKafka(started);
    await hub.publishRabbitmq(started);
    const second = await hub.postHttp(started);
    expect(second.status).toBe(202);
    await hub.probe.waitFor(() => EEMLAND.every((r) => hub.probe.about(started.subject, r).length > 0));
    const barrier = Events.transferred(started.subject);
    await hub.publishKafka(barrier);
    await hub.probe.waitFor(() =>
      EEMLAND.every((r) => hub.probe.about(started.subject, r).some((m) => m.event.type === barrier.type)),
    );
    const [{ count }] = await hub.db.query(`select count(*) from inbound_event where event_id = $1`, [
      started.id,
    ]);
    expect(Number(count)).toBe(1);
    for (const r of EEMLAND) {
      expect(hub.probe.about(started.subject, r).filter((m) => m.event.type === started.type)).toHaveLength(
        1,
      );
    }
  });

  it('an event for one tenant never reaches another tenant', async () => {
    const westland = Events.started(undefined, { municipalityOfOrigin: '1783' });
    const haarlem = Events.started(undefined, { municipalityOfOrigin: '0392' });
    await hub.publishKafka(westland);
    await hub.publishKafka(haarlem);
    // Every own recipient first: one event's deliveries may go out in different relay batches.
    const kinds = ['brp', 'coordinator', 'income', 'schuldhulp', 'zorg'];
    await hub.probe.waitFor(() =>
      kinds.every((k) => hub.probe.about(westland.subject, `${k}-westland`).length > 0),
    );
    await hub.probe.waitFor(() =>
      kinds.every((k) => hub.probe.about(haarlem.subject, `${k}-haarlem`).length > 0),
    );
    const westlandReceivers = new Set(hub.probe.about(westland.subject).map((m) => m.recipientId));
    const haarlemReceivers = new Set(hub.probe.about(haarlem.subject).map((m) => m.recipientId));
    expect([...westlandReceivers].sort()).toEqual(
      ['brp', 'coordinator', 'income', 'schuldhulp', 'zorg'].map((k) => `${k}-westland`),
    );
    expect([...haarlemReceivers].sort()).toEqual(
      ['brp', 'coordinator', 'income', 'schuldhulp', 'zorg'].map((k) => `${k}-haarlem`),
    );
  });

  it('an event about a municipality of no tenant is stored, visible as unrouted, and reaches no one', async () => {
    const alkmaar = Events.started(undefined, { municipalityOfOrigin: '0361' });
    const response = await hub.postHttp(alkmaar);
    expect(response).toMatchObject({ status: 202, body: { status: 'accepted', routing: 'unrouted' } });
    const follower = Events.started(); // a routed event sent after it, as a barrier
    await hub.postHttp(follower);
    await hub.probe.waitFor(() => hub.probe.about(follower.subject, 'coordinator-eemland-zuid').length > 0);
    expect(hub.probe.about(alkmaar.subject)).toEqual([]);
    const rows = await hub.db.query(`select routing_status from inbound_event where event_id = $1`, [
      alkmaar.id,
    ]);
    expect(rows).toEqual([{ routing_status: 'unrouted' }]);
  });

  it('a release into another tenant also reaches that tenant’s coordinator, and only the coordinator', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0307' });
    await hub.publishKafka(started);
    const released = Events.released(started.subject, { destinationMunicipality: '1783' });
    await hub.publishKafka(released);
    await hub.probe.waitFor(() => hub.probe.about(started.subject, 'coordinator-westland').length > 0);
    await hub.probe.waitFor(() =>
      EEMLAND.every((r) => hub.probe.about(started.subject, r).some((m) => m.event.type === released.type)),
    );
    const westland = hub.probe.about(started.subject).filter((m) => m.recipientId.endsWith('-westland'));
    expect(westland.map((m) => [m.recipientId, m.event.type, m.event.tenant])).toEqual([
      ['coordinator-westland', released.type, 'westland'],
    ]);
  });

  it('events of a detention that arrive before its start wait, then go out after it', async () => {
    const detentionId = Events.started().subject;
    const screening = Events.screening(detentionId);
    const started = Events.started(detentionId);
    await hub.publishKafka(screening);
    const early = await hub.waitForCount(
      `select count(*) from inbound_event where event_id = $1 and routing_status = 'awaiting-origin'`,
      [screening.id],
      1,
    );
    expect(early).toBe(1);
    await hub.publishKafka(started);
    await hub.probe.waitFor(() =>
      hub.probe.about(detentionId, 'coordinator-eemland-zuid').some((m) => m.event.type === screening.type),
    );
    expect(hub.probe.about(detentionId, 'coordinator-eemland-zuid').map((m) => m.event.type)).toEqual([
      started.type,
      screening.type,
    ]);
  });

  it('a withdrawal reaches every recipient that received anything about the detention', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
    await hub.publishKafka(started);
    await hub.publishKafka(Events.released(started.subject, { destinationMunicipality: '1783' }));
    const withdrawn = Events.withdrawn(started.subject);
    await hub.publishKafka(withdrawn);
    const expected = [
      ...['brp', 'coordinator', 'income', 'schuldhulp', 'zorg'].map((k) => `${k}-haarlem`),
      'coordinator-westland',
    ];
    await hub.probe.waitFor(() =>
      expected.every((r) => hub.probe.about(started.subject, r).some((m) => m.event.type === withdrawn.type)),
    );
    const withdrawnTo = hub.probe.about(started.subject).filter((m) => m.event.type === withdrawn.type);
    expect(withdrawnTo.map((m) => m.recipientId).sort()).toEqual(expected.sort());
    // Only the coordinators learn the reason.
    for (const m of withdrawnTo) {
      expect('reason' in m.event.data).toBe(m.recipientId.startsWith('coordinator-'));
    }
  });
});
