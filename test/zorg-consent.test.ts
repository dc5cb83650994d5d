import { INestApplication } from '@nestjs/common';
import { bootstrapConnector } from '@nazorg/connectors';
import { AftercareEventType, CloudEvent, DetentionEventType, FeedSource } from '@nazorg/contracts';
import { OutboxRelayService } from '@nazorg/delivery';
import { ExternalMocksHarness } from '@nazorg/external-mocks';
import { DEMO_TOKENS, Events, HubHarness } from '@nazorg/testing';

/**
 * Consent at release (issue 13, ADR 0025): once a later screening withdraws the zorg consent that
 * an earlier one recorded, nothing more about the detention reaches the care platform, at any step:
 * not the release (which the zorg connector would turn into a melding to care partners), not an
 * aftercare message, and not a delivery that was already waiting in the outbox. Through the real
 * hub, brokers, database, the real zorg connector and the care platform's mock.
 */
describe('zorg consent withdrawn', () => {
  let hub: HubHarness;
  let mocks: ExternalMocksHarness;
  let zorg: INestApplication;
  const base = Date.now() - 10 * 3600_000;
  const at = (hours: number) => new Date(base + hours * 3600_000).toISOString();
  /** An event with its own time (the case and the consent rule order screenings by it). */
  const timed = <T extends CloudEvent<object>>(event: T, hours: number): T => ({ ...event, time: at(hours) });

  beforeAll(async () => {
    mocks = await ExternalMocksHarness.start();
    Object.assign(process.env, mocks.connectorEnv());
    hub = await HubHarness.start({ probe: ['coordinator-westland', 'brp-westland'] });
    zorg = await bootstrapConnector('zorg');
  });
  afterAll(async () => {
    await zorg?.close();
    await hub?.stop();
    await mocks?.close();
  });

  const post = async (...events: CloudEvent<object>[]) => {
    for (const e of events) {
      const token = e.source === FeedSource.DPAN ? DEMO_TOKENS.dpan : DEMO_TOKENS.injus;
      const answer = await hub.postHttp(e, token);
      expect({ status: answer.status, body: answer.status === 202 ? {} : answer.body }).toEqual({
        status: 202,
        body: {},
      });
    }
  };
  const meldingen = async (detentionId: string) =>
    (await mocks.requests('zorg'))
      .filter((r) => r.path.endsWith('/meldingen'))
      .map((r) => r.body as { detentionId: string; moment: string })
      .filter((b) => b.detentionId === detentionId)
      .map((b) => b.moment);
  const zorgDeliveries = async (detentionId: string) =>
    (
      await hub.db.query(
        `select message->>'type' as type, published_at from delivery
         where detention_id = $1 and recipient_id = 'zorg-westland' order by created_at`,
        [detentionId],
      )
    ).map((r: { type: string }) => r.type);
  const detention = (hours = 0) =>
    timed(
      Events.started(undefined, {
        municipalityOfOrigin: '1783',
        startedAt: at(hours),
        supervision: { organisation: 'reclassering-nederland' },
      }),
      hours,
    );
  const screening = (id: string, zorgConsent: boolean, hours: number) =>
    timed(
      Events.screening(id, { screenedAt: at(hours), consent: { schuldhulp: true, zorg: zorgConsent } }),
      hours,
    );
  const release = (id: string, hours: number) =>
    timed(Events.released(id, { releasedAt: at(hours), destinationMunicipality: '1783' }), hours);

  it('the release after a withdrawal reaches neither zorg nor its care partners; with consent it does', async () => {
    const withdrawn = detention();
    const kept = detention();
    await post(withdrawn, kept, screening(withdrawn.subject, true, 1), screening(kept.subject, true, 1));
    // With consent the hub refers to care, and the connector notifies the care partners.
    await hub.waitUntil(async () => (await meldingen(withdrawn.subject)).includes('screening'));
    await hub.waitUntil(async () => (await meldingen(kept.subject)).includes('screening'));

    // A later screening withdraws the zorg consent; then the person is released.
    await post(
      screening(withdrawn.subject, false, 2),
      release(withdrawn.subject, 3),
      release(kept.subject, 3),
    );
    await hub.waitUntil(async () => (await meldingen(kept.subject)).includes('release'));
    await hub.probe.waitFor(() =>
      hub.probe
        .about(withdrawn.subject, 'coordinator-westland')
        .some((m) => m.event.type === DetentionEventType.DETENTION_RELEASED),
    );
    await hub.app.get(OutboxRelayService).drain();

    // Others still hear of the release; zorg got nothing after the withdrawal, and nor did its partners.
    expect(hub.probe.about(withdrawn.subject, 'brp-westland').map((m) => m.event.type)).toContain(
      DetentionEventType.DETENTION_RELEASED,
    );
    expect(await zorgDeliveries(withdrawn.subject)).toEqual([
      DetentionEventType.DETENTION_STARTED,
      DetentionEventType.SCREENING_COMPLETED,
      AftercareEventType.REFERRAL_REQUESTED,
    ]);
    expect(await meldingen(withdrawn.subject)).toEqual(['screening']);
    const [{ count }] = await hub.db.query(
      `select count(*) from disclosure_record where detention_pseudonym = $1 and recipient_id = 'zorg-westland'`,
      [hub.pseudonym(withdrawn.subject)],
    );
    expect(Number(count)).toBe(3);
  });

  it('a zorg delivery still waiting in the outbox (a retry) is withheld, at the withdrawal and at send time', async () => {
    // At the withdrawal: a referral waiting for its next attempt is cancelled in the same transaction.
    const waiting = detention();
    await post(waiting, screening(waiting.subject, true, 1));
    await hub.waitForCount(
      `select count(*) from delivery where detention_id = $1 and recipient_id = 'zorg-westland'
         and message->>'type' = $2 and published_at is not null`,
      [waiting.subject, AftercareEventType.REFERRAL_REQUESTED],
      1,
    );
    // Made pending again, as if its publish had failed: no disclosure record, a next attempt later.
    const pending = async (detentionId: string, nextAttempt: string) => {
      const which = `detention_id = $1 and recipient_id = 'zorg-westland' and message->>'type' = $2`;
      const params = [detentionId, AftercareEventType.REFERRAL_REQUESTED];
      await hub.db.query(
        `delete from disclosure_record where delivery_id in (select id from delivery where ${which})`,
        params,
      );
      await hub.db.query(
        `update delivery set published_at = null, publish_attempts = 1, last_error = 'zorg down',
           next_attempt_at = ${nextAttempt} where ${which}`,
        params,
      );
    };
    await pending(waiting.subject, `clock_timestamp() + interval '1 hour'`);
    await post(screening(waiting.subject, false, 2));
    expect(await zorgDeliveries(waiting.subject)).toEqual([
      DetentionEventType.DETENTION_STARTED,
      DetentionEventType.SCREENING_COMPLETED,
    ]);

    // At send time: a row that is due after the withdrawal was recorded (written by a projection
    // that read the case before it, or left over) never goes out either.
    const late = detention();
    await post(late, screening(late.subject, true, 1));
    await hub.waitForCount(
      `select count(*) from delivery where detention_id = $1 and recipient_id = 'zorg-westland'
         and message->>'type' = $2 and published_at is not null`,
      [late.subject, AftercareEventType.REFERRAL_REQUESTED],
      1,
    );
    await post(screening(late.subject, false, 2));
    await mocks.clear('zorg');
    await pending(late.subject, 'null');
    await hub.app.get(OutboxRelayService).drain();
    expect(await zorgDeliveries(late.subject)).toEqual([
      DetentionEventType.DETENTION_STARTED,
      DetentionEventType.SCREENING_COMPLETED,
    ]);
    expect(await meldingen(late.subject)).toEqual([]);

    // The withdrawal of the notification itself still reaches zorg: it must forget the detention.
    await post(timed(Events.withdrawn(late.subject), 3));
    await hub.waitForCount(
      `select count(*) from delivery where recipient_id = 'zorg-westland' and message->>'type' = $1
         and inbound_event_id in (select id from inbound_event where type = $1)`,
      [DetentionEventType.NOTIFICATION_WITHDRAWN],
      1,
    );
  });
});
