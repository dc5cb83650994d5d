import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapConnector, ConnectorKind } from '@nazorg/connectors';
import { AftercareEventType, Channels, ConnectorResultType, HUB_SOURCE } from '@nazorg/contracts';
import { ExternalMocksModule, MOCK_TRIGGERS } from '@nazorg/external-mocks';
import { HubQueues } from '@nazorg/messaging';
import { Events, HubHarness, newDetentionId } from '@nazorg/testing';
import { connect } from 'amqplib';

type Row = { type: string; outcome: string; recipient_id: string; details: Record<string, unknown> };

/**
 * The connectors' aftercare decisions through the real hub, brokers and database: the tenant's
 * benefit policy (eemland-zuid suspends up to 89 days, haarlem up to 30) also against the actual
 * length at release, deregistration risk (again when the release moves), registration in the
 * municipality of origin, briefadres, resumption and advance at release, the warm handover, and each connector's unknown,
 * slow and failing paths.
 */
describe('connectors: aftercare', () => {
  let hub: HubHarness;
  let mocks: INestApplication;
  const connectors: INestApplication[] = [];

  beforeAll(async () => {
    process.env.MOCK_SLOW_MS = '2500';
    mocks = await NestFactory.create(ExternalMocksModule, { logger: false });
    await mocks.listen(0, '127.0.0.1');
    const url = (await mocks.getUrl()).replace('[::1]', '127.0.0.1');
    Object.assign(process.env, {
      BRP_API_URL: `${url}/haalcentraal/api/brp`,
      SUWINET_API_URL: `${url}/suwinet`,
      SCHULDHULP_API_URL: `${url}/schuldhulp`,
      ZORG_API_URL: `${url}/zorg`,
      DELIVERY_MAX_RETRIES: '1',
      CONNECTOR_HTTP_TIMEOUT_MS: '800',
    });
    hub = await HubHarness.start({ probe: ['coordinator-eemland-zuid', 'coordinator-haarlem'] });
    for (const kind of ['brp', 'income', 'schuldhulp', 'zorg'] as ConnectorKind[]) {
      connectors.push(await bootstrapConnector(kind));
    }
  });
  afterAll(async () => {
    for (const c of connectors) await c.close();
    await hub?.stop();
    await mocks?.close();
  });

  const count = `select count(*) from connector_result where detention_id = $1`;
  const results = async (detentionId: string): Promise<Row[]> => {
    const rows: { id: string; type: string; outcome: string; recipient_id: string; event_sealed: Buffer }[] =
      await hub.db.query(
        `select id, type, outcome, recipient_id, event_sealed from connector_result where detention_id = $1 order by type`,
        [detentionId],
      );
    const opened: Row[] = [];
    for (const r of rows)
      opened.push({
        type: r.type,
        outcome: r.outcome,
        recipient_id: r.recipient_id,
        details: (
          await hub.unseal<{ data: { details: Record<string, unknown> } }>(
            r.event_sealed,
            'connector_result.event',
            r.id,
          )
        ).data.details,
      });
    return opened;
  };
  const resultOf = async (detentionId: string, type: string) =>
    (await results(detentionId)).find((r) => r.type === type);
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  /** Start (and wait for the start's results), then release. */
  async function startThenRelease(
    municipality: string,
    expectedDays: number,
    release: Parameters<typeof Events.released>[1] = {},
    bsn = '999990019',
  ): Promise<string> {
    const started = Events.started(undefined, {
      person: { bsn },
      municipalityOfOrigin: municipality,
      expectedReleaseDate: inDays(expectedDays),
    });
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.waitForCount(count, [id], 3, 30000);
    await hub.publishKafka(Events.released(id, release));
    await hub.waitForCount(count, [id], 6, 30000);
    return id;
  }

  it('a 60-day detention: eemland-zuid (89 days) suspends and resumes, haarlem (30 days) stops and flags an advance', async () => {
    const eemland = await startThenRelease('0307', 60);
    const haarlem = await startThenRelease('0392', 60);
    expect(await resultOf(eemland, ConnectorResultType.INCOME_BENEFITS_CHECKED)).toMatchObject({
      recipient_id: 'income-eemland-zuid',
      details: { hasBenefit: true, decision: 'suspend', suspendUpToDays: 89, expectedDetentionDays: 60 },
    });
    expect(await resultOf(haarlem, ConnectorResultType.INCOME_BENEFITS_CHECKED)).toMatchObject({
      recipient_id: 'income-haarlem',
      details: { hasBenefit: true, decision: 'stop', suspendUpToDays: 30 },
    });
    expect(await resultOf(eemland, ConnectorResultType.INCOME_RESUMPTION_REQUESTED)).toMatchObject({
      outcome: 'completed',
      details: { resumption: 'resumed', advanceNeeded: false },
    });
    expect(await resultOf(haarlem, ConnectorResultType.INCOME_RESUMPTION_REQUESTED)).toMatchObject({
      outcome: 'completed',
      details: { resumption: 'reapplication-needed', advanceNeeded: true },
    });
  });

  it('income: a suspension becomes a stop when the expected release moves past the tenant limit', async () => {
    const started = Events.started(undefined, {
      person: { bsn: '999990019' },
      municipalityOfOrigin: '0307',
      expectedReleaseDate: inDays(60),
    });
    const id = started.subject;
    const ofType = `select count(*) from connector_result where detention_id = $1 and type = $2`;
    await hub.publishKafka(started);
    await hub.waitForCount(ofType, [id, ConnectorResultType.INCOME_BENEFITS_CHECKED], 1, 30000);
    await hub.publishKafka(Events.releaseScheduled(id, inDays(150)));
    await hub.waitForCount(ofType, [id, ConnectorResultType.INCOME_DECISION_REVISED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.INCOME_DECISION_REVISED)).toMatchObject({
      recipient_id: 'income-eemland-zuid',
      details: { previousDecision: 'suspend', decision: 'stop', revised: true, suspendUpToDays: 89 },
    });
    await hub.publishKafka(Events.released(id));
    await hub.waitForCount(ofType, [id, ConnectorResultType.INCOME_RESUMPTION_REQUESTED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.INCOME_RESUMPTION_REQUESTED)).toMatchObject({
      details: { resumption: 'reapplication-needed', advanceNeeded: true },
    });
  });

  it('income: a provisional suspension (no expected date) becomes a stop at release when the stay outran the limit', async () => {
    const ofType = `select count(*) from connector_result where detention_id = $1 and type = $2`;
    // 120 days in custody without an expected release date; eemland-zuid suspends up to 89 days.
    // At noon UTC (the same date in Amsterdam), so the count does not depend on when this runs.
    const noon = (daysAgo: number) => `${inDays(-daysAgo)}T12:00:00Z`;
    const started = Events.started(undefined, {
      person: { bsn: '999990019' },
      municipalityOfOrigin: '0307',
      startedAt: noon(120),
      expectedReleaseDate: null,
    });
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.waitForCount(ofType, [id, ConnectorResultType.INCOME_BENEFITS_CHECKED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.INCOME_BENEFITS_CHECKED)).toMatchObject({
      details: { decision: 'suspend-pending' },
    });
    await hub.publishKafka(Events.released(id, { releasedAt: noon(0) }));
    await hub.waitForCount(ofType, [id, ConnectorResultType.INCOME_RESUMPTION_REQUESTED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.INCOME_RESUMPTION_REQUESTED)).toMatchObject({
      details: {
        previousDecision: 'suspend-pending',
        revisedAtRelease: true,
        actualDetentionDays: 120,
        suspendUpToDays: 89,
        resumption: 'reapplication-needed',
        advanceNeeded: true,
      },
    });
  });

  it('BRP: the deregistration risk is re-evaluated when release.scheduled moves the expected release', async () => {
    const ofType = `select count(*) from connector_result where detention_id = $1 and type = $2`;
    const started = Events.started(undefined, {
      person: { bsn: '999990019' },
      expectedReleaseDate: inDays(60),
    });
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.waitForCount(ofType, [id, ConnectorResultType.BRP_REGISTRATION_CHECKED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.BRP_REGISTRATION_CHECKED)).toMatchObject({
      details: { deregistrationRisk: false, addressInvestigation: false },
    });
    await hub.publishKafka(Events.releaseScheduled(id, inDays(150)));
    await hub.waitForCount(ofType, [id, ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED], 1, 30000);
    expect(await resultOf(id, ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED)).toMatchObject({
      recipient_id: 'brp-eemland-zuid',
      details: { previousRisk: false, deregistrationRisk: true, revised: true, addressInvestigation: true },
    });
  });

  it('BRP: registered in another municipality than the one of origin, in the result and the DPAN answer', async () => {
    // 999990093 moved to Utrecht (0344); DJI gives Amersfoort (0307) as municipality of origin.
    const elsewhere = Events.started(undefined, {
      person: { bsn: '999990093' },
      municipalityOfOrigin: '0307',
    });
    const home = Events.started(undefined, { person: { bsn: '999990019' }, municipalityOfOrigin: '0307' });
    for (const e of [elsewhere, home]) await hub.publishKafka(e);
    const dpanAnswer = async (id: string) => {
      await hub.waitForCount(
        `select count(*) from delivery where detention_id = $1 and recipient_id = 'dji-dpan'`,
        [id],
        1,
        30000,
      );
      const [row] = await hub.db.query(
        `select id, message_sealed from delivery where detention_id = $1 and recipient_id = 'dji-dpan'`,
        [id],
      );
      return (
        await hub.unseal<{ data: { brp: Record<string, unknown> } }>(
          row.message_sealed,
          'delivery.message',
          row.id,
        )
      ).data.brp;
    };
    expect(await dpanAnswer(elsewhere.subject)).toMatchObject({
      registered: true,
      registeredInMunicipalityOfOrigin: false,
      municipality: '0344',
    });
    expect(await dpanAnswer(home.subject)).toMatchObject({
      registered: true,
      registeredInMunicipalityOfOrigin: true,
      municipality: '0307',
    });
    expect(await resultOf(elsewhere.subject, ConnectorResultType.BRP_REGISTRATION_CHECKED)).toMatchObject({
      details: { registered: true, registeredInMunicipalityOfOrigin: false, municipality: '0344' },
    });
  });

  it('BRP: a long absence risks deregistration; leaving without an address asks for a briefadres', async () => {
    const id = await startThenRelease('0307', 150, { addressAfterRelease: null });
    expect(await resultOf(id, ConnectorResultType.BRP_REGISTRATION_CHECKED)).toMatchObject({
      details: { registered: true, hasValidIdDocument: true, deregistrationRisk: true },
    });
    expect(await resultOf(id, ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED)).toMatchObject({
      outcome: 'completed',
      details: {
        hasAddressAfterRelease: false,
        addressCheck: 'postal-address-requested',
        postalAddressNeeded: true,
      },
    });
    // Without an address, specialist housing is part of the care handover at release.
    const zorg = (await results(id)).find((r) => r.type === ConnectorResultType.ZORG_PARTNERS_NOTIFIED);
    expect(zorg?.details.partners).toEqual(expect.arrayContaining(['Exodus', 'Reclassering Nederland']));
  });

  it('zorg: warm-handover-due reaches the partners the platform keeps for the detention, and probation', async () => {
    // A fixed id: the platform's acknowledgements are drawn per detention and partner, and for this
    // one Victas acknowledges at once while probation has not yet (the mock is deterministic).
    const started = Events.started('DJI-T-BEVESTIGING-0001');
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.publishKafka(
      Events.screening(id, {
        consent: { schuldhulp: false, zorg: true },
        care: { needsCare: true, areas: ['addiction'], currentProviders: [] },
      }),
    );
    // The care platform has the care areas once the hub's referral request was notified ('%zorg%'
    // would match every result type: they all start nl.nazorghub).
    await hub.waitForCount(
      `select count(*) from connector_result where detention_id = $1 and type = $2`,
      [id, ConnectorResultType.ZORG_PARTNERS_NOTIFIED],
      1,
      30000,
    );
    // As the hub's scheduler sends it (zorg profile: detentionId and dates only).
    await publishDelivery('zorg-eemland-zuid', 'eemland-zuid', AftercareEventType.WARM_HANDOVER_DUE, id, {
      detentionId: id,
      expectedReleaseDate: '2027-02-14',
    });
    await hub.waitForCount(
      `select count(*) from connector_result where detention_id = $1 and type = $2`,
      [id, ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED],
      1,
      30000,
    );
    const handover = await resultOf(id, ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED);
    expect(handover).toMatchObject({
      outcome: 'completed',
      recipient_id: 'zorg-eemland-zuid',
      details: { moment: 'warm-handover', partners: ['Victas', 'Reclassering Nederland'] },
    });
    expect(handover?.details).toMatchObject({
      acknowledgedBy: ['Victas'],
      awaitingAcknowledgement: ['Reclassering Nederland'],
    });
  });

  it('unknown detentions: debt help and the care platform answer person-unknown', async () => {
    const id = `${newDetentionId()}${MOCK_TRIGGERS.unknownSuffix}`;
    await hub.publishKafka(Events.started(id));
    await hub.publishKafka(Events.screening(id, { consent: { schuldhulp: true, zorg: true } }));
    await hub.waitForCount(count, [id], 5, 30000);
    const rows = await results(id);
    // Known to the BRP and Suwinet by BSN, but the back offices keep no case for this detention.
    expect(rows.find((r) => r.type === ConnectorResultType.BRP_REGISTRATION_CHECKED)?.outcome).toBe(
      'person-unknown',
    );
    expect(rows.find((r) => r.type === ConnectorResultType.SCHULDHULP_REFERRAL_MADE)?.outcome).toBe(
      'person-unknown',
    );
    expect(rows.filter((r) => r.type.includes('.zorg.')).map((r) => r.outcome)).toEqual([
      'person-unknown',
      'person-unknown',
    ]);
  });

  it('slow (beyond the timeout) and failing systems are retried, then dead-lettered with a reason free of personal data', async () => {
    const slow = `${newDetentionId()}${MOCK_TRIGGERS.slowSuffix}`;
    const failing = `${newDetentionId()}${MOCK_TRIGGERS.failingSuffix}`;
    await hub.publishKafka(Events.started(slow, { person: { bsn: MOCK_TRIGGERS.slowBsn } }));
    await hub.publishKafka(Events.screening(slow, { consent: { schuldhulp: true, zorg: true } }));
    await hub.publishKafka(Events.started(failing, { person: { bsn: MOCK_TRIGGERS.failingBsn } }));
    await hub.publishKafka(Events.screening(failing, { consent: { schuldhulp: true, zorg: true } }));
    const expected: [string, string, RegExp][] = [
      ['brp-eemland-zuid', slow, /did not answer within 800 ms/],
      ['income-eemland-zuid', slow, /did not answer within 800 ms/],
      ['schuldhulp-eemland-zuid', slow, /did not answer within 800 ms/],
      ['zorg-eemland-zuid', slow, /did not answer within 800 ms/],
      ['brp-eemland-zuid', failing, /503/],
      ['income-eemland-zuid', failing, /503/],
      ['schuldhulp-eemland-zuid', failing, /503/],
      ['zorg-eemland-zuid', failing, /503/],
    ];
    for (const [recipient, id, reason] of expected) {
      const found = await deadLetterReason(recipient, id, 60000);
      expect([recipient, found]).toEqual([recipient, expect.stringMatching(reason)]);
      expect(found).not.toMatch(/\d{9}|Piet|Vries/);
    }
    expect(await results(slow)).toEqual([]);
    expect(await results(failing)).toEqual([]);
  });

  /** Publishes a delivery on `hub.deliveries` as the hub's outbox does. */
  async function publishDelivery(
    recipient: string,
    tenant: string,
    type: string,
    subject: string,
    data: object,
  ): Promise<void> {
    const model = await connect(process.env.AMQP_URL as string);
    try {
      const channel = await model.createConfirmChannel();
      const id = randomUUID();
      channel.publish(
        Channels.DELIVERIES_EXCHANGE,
        recipient,
        Buffer.from(
          JSON.stringify({
            specversion: '1.0',
            id,
            source: HUB_SOURCE,
            type,
            time: new Date().toISOString(),
            subject,
            datacontenttype: 'application/json',
            data,
            correlationid: id,
            causationid: id,
            tenant,
            recipient,
          }),
        ),
        { persistent: true, contentType: 'application/cloudevents+json', messageId: id },
      );
      await channel.waitForConfirms();
    } finally {
      await model.close();
    }
  }

  /** The dead-letter reason of this detention's delivery to the recipient, waiting for it to arrive. */
  async function deadLetterReason(recipient: string, subject: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const model = await connect(process.env.AMQP_URL as string);
      try {
        const channel = await model.createChannel();
        for (;;) {
          const msg = await channel.get(HubQueues.dead(`recipient.${recipient}`), { noAck: false });
          if (!msg) break;
          if ((JSON.parse(msg.content.toString()) as { subject?: string }).subject === subject) {
            return String(msg.properties.headers?.['x-nazorg-dead-letter-reason']);
          }
        }
      } finally {
        // Closing without acking puts every message back for the next look.
        await model.close();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return 'not dead-lettered in time';
  }
});
