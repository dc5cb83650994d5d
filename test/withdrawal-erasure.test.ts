import { Channels, CloudEvent, ConnectorResultType, HUB_SOURCE } from '@nazorg/contracts';
import { BrokerDeadLettersService } from '@nazorg/delivery';
import { AmqpConnection, HubQueues } from '@nazorg/messaging';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { connectorResult, DEMO_TOKENS, Events, HubHarness } from '@nazorg/testing';

/**
 * `notification.withdrawn`: "the earlier notification was wrong: forget this detention". It reaches
 * everyone who received something; then no personal data about the detention is left in any table
 * of the hub, only a pseudonymised trace, and later events or results about it stay inert.
 */

describe('withdrawal erases the detention from the hub', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const leftovers = (secrets: string[]) => hub.personalDataLeftovers(secrets);

  it('delivers the withdrawal, then leaves no personal data about the detention in any table', async () => {
    const started = Events.started(undefined, {
      municipalityOfOrigin: '0392',
      person: {
        bsn: '999993653',
        givenNames: 'Geheime',
        familyName: 'Persoonsnaam',
        birthDate: '1980-07-15',
      },
      caseManager: { name: 'Casus Beheerder' },
    });
    const id = started.subject;
    const secrets = [
      id,
      '999993653',
      'Geheime',
      'Persoonsnaam',
      '1980-07-15',
      'Casus Beheerder',
      'Langestraat',
    ];
    // A rejected copy (its BSN fails the eleven-test) is kept as a dead letter, with the names in it.
    const rejected = {
      ...started,
      id: `${started.id}-rejected`,
      data: { ...started.data, person: { ...started.data.person, bsn: '999993652' } },
    };
    expect((await hub.postHttp(rejected)).status).toBe(400);
    const other = Events.started(); // an unrelated detention, which must be left alone
    await hub.publishKafka(other);
    await hub.publishKafka(started);
    await hub.publishKafka(Events.screening(id));
    await hub.publishKafka(Events.released(id, { destinationMunicipality: '1783' }));
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-westland').length === 1);
    // Before the withdrawal the data is there, sealed (so the scan below can fail). Checked before
    // it is sent: the relay erases as soon as the withdrawal has gone out.
    expect(await leftovers(['999993653', 'Persoonsnaam'])).toEqual(
      expect.arrayContaining([
        'inbound_event.event_sealed (opened): 999993653',
        'dead_letter.payload (opened): Persoonsnaam',
      ]),
    );
    const withdrawn = Events.withdrawn(id);
    await hub.publishKafka(withdrawn);
    await hub.probe.waitFor(() =>
      ['coordinator-haarlem', 'brp-haarlem', 'ops', 'coordinator-westland'].every((r) =>
        hub.probe.received.some((m) => m.recipientId === r && hub.causedBy(m, withdrawn.id)),
      ),
    );

    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(id);
    const erased = await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym],
      1,
    );
    expect(erased).toBe(1);
    expect(await leftovers(secrets)).toEqual([]);
    // A pseudonymised trace remains for operations: the events and deliveries still count.
    const [{ count: events }] = await hub.db.query(
      `select count(*) from inbound_event where detention_id = $1`,
      [pseudonym],
    );
    expect(Number(events)).toBe(4);
    const [{ count: disclosures }] = await hub.db.query(
      `select count(*) from disclosure_record where detention_pseudonym = $1`,
      [pseudonym],
    );
    expect(Number(disclosures)).toBeGreaterThan(0);
    // The unrelated detention is untouched.
    expect((await leftovers([other.subject])).length).toBeGreaterThan(0);

    // A late event about it is kept inert: stored without personal data, routed to no one.
    const late = Events.releaseScheduled(id);
    const response = await hub.postHttp(late);
    expect(response).toMatchObject({ status: 202, body: { routing: 'withdrawn' } });
    // A late connector result too.
    await hub.publisherAs('connector-brp').publish({
      exchange: 'hub.results',
      routingKey: ConnectorResultType.BRP_REGISTRATION_CHECKED,
      body: JSON.stringify({
        specversion: '1.0',
        id: 'late-result-1',
        source: `${HUB_SOURCE}/connectors/brp`,
        type: ConnectorResultType.BRP_REGISTRATION_CHECKED,
        time: new Date().toISOString(),
        subject: id,
        data: {
          detentionId: id,
          recipientId: 'brp-haarlem',
          outcome: 'completed',
          details: connectorResult(ConnectorResultType.BRP_REGISTRATION_CHECKED, id, 'brp-haarlem').data
            .details,
        },
      }),
    });
    await hub.waitForCount(`select count(*) from connector_result where event_id = 'late-result-1'`, [], 1);
    expect(hub.probe.received.filter((m) => hub.causedBy(m, late.id))).toEqual([]);
    expect(await leftovers(secrets)).toEqual([]);
  });

  it('erases a withdrawal that arrives before its start, and keeps the start that follows inert', async () => {
    const id = `DJI-${Date.now()}-EARLY`;
    const screening = Events.screening(id);
    const withdrawn = Events.withdrawn(id);
    // Nothing about the detention has gone out yet: the withdrawal waits for a start that may never come.
    expect((await hub.postHttp(screening, DEMO_TOKENS.dpan)).status).toBe(202);
    expect((await hub.postHttp(withdrawn)).status).toBe(202);
    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(id);
    const erased = await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym],
      1,
    );
    expect(erased).toBe(1);
    expect(await leftovers([id])).toEqual([]);

    const started = Events.started(id, { person: { bsn: '999994426', familyName: 'Laatkomer' } });
    expect(await hub.postHttp(started)).toMatchObject({ status: 202, body: { routing: 'withdrawn' } });
    expect(await leftovers([id, '999994426', 'Laatkomer'])).toEqual([]);
    expect(hub.probe.received.filter((m) => hub.causedBy(m, started.id))).toEqual([]);
  });

  it("removes the broker's dead letters about an erased detention, and never replays one", async () => {
    const queue = Channels.recipientQueue('brp-haarlem');
    const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
    const other = Events.started(undefined, { municipalityOfOrigin: '0392' });
    for (const e of [started, other]) expect((await hub.postHttp(e)).status).toBe(202);
    await hub.probe.waitFor(() =>
      [started, other].every((e) => hub.probe.about(e.subject, 'brp-haarlem').length),
    );
    // As the AMQP adapter leaves a delivery its connector gave up on: in dead.<queue>.
    const giveUp = async (event: CloudEvent<object>) => {
      const delivered = hub.probe.about(event.subject, 'brp-haarlem')[0].event;
      const channel = await (await hub.app.get(AmqpConnection).currentModel()).createConfirmChannel();
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          HubQueues.dead(queue),
          Buffer.from(JSON.stringify(delivered)),
          { persistent: true },
          (e) => (e ? reject(e) : resolve()),
        ),
      );
      await channel.close();
    };
    await giveUp(started);
    await giveUp(other);
    const deadLetters = hub.app.get(BrokerDeadLettersService);
    expect(await deadLetters.counts(null)).toMatchObject({ [queue]: 2 });

    expect((await hub.postHttp(Events.withdrawn(started.subject))).status).toBe(202);
    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(started.subject);
    await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym],
      1,
    );
    // The erasing relay dropped the erased detention's dead letter; the other one waits on.
    await hub.waitUntil(async () => (await deadLetters.counts(null))[queue] === 1);
    expect(await deadLetters.counts(null)).toMatchObject({ [queue]: 1 });

    // One arriving late (a connector giving up after the erasure) is dropped on replay, not resent.
    await giveUp(started);
    const before = hub.probe.about(started.subject, 'brp-haarlem').length;
    expect(await deadLetters.replay(queue)).toEqual({ moved: 1, droppedErased: 1 });
    await hub.probe.waitFor(() => hub.probe.about(other.subject, 'brp-haarlem').length === 2);
    expect(hub.probe.about(started.subject, 'brp-haarlem')).toHaveLength(before);
    expect(await deadLetters.counts(null)).not.toHaveProperty(queue);
  });
});
