import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@nazorg/config';
import { AftercareEventType, CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { ExternalMocksHarness, MOCK_TRIGGERS } from '@nazorg/external-mocks';
import { BRP_FIELDS, hasValidDocument } from './brp.connector';
import { ConnectorFactory } from './connector.factory';
import { ConnectorsModule } from './connectors.module';
import { advanceNeeded } from './income.connector';
import { ConnectorKind, ConnectorOutcome } from './recipient-connector.port';
import { meldingFor } from './zorg.connector';

/*
 * Each connector's decisions against the in-process mocks (no brokers, no database). The deliveries
 * are written by hand in the shape the privacy filter leaves for each kind (CONTRACT section 4).
 */

let mocks: ExternalMocksHarness;
let app: INestApplication;
let seq = 0;

beforeAll(async () => {
  mocks = await ExternalMocksHarness.start({ slowAnswerMs: 800 });
  const env = { ...process.env, ...mocks.connectorEnv(), CONNECTOR_HTTP_TIMEOUT_MS: '300' };
  @Module({ imports: [ConfigModule.forRoot({ env }), ConnectorsModule] })
  class SpecModule {}
  app = await NestFactory.create(SpecModule, { logger: false });
  await app.init();
});
afterAll(async () => {
  await app?.close();
  await mocks?.close();
});

const handle = (kind: ConnectorKind, delivery: CloudEvent): Promise<ConnectorOutcome> =>
  app.get(ConnectorFactory).forKind(kind).handle(delivery);

function delivery(type: string, detentionId: string, data: object, tenant = 'eemland-zuid'): CloudEvent {
  seq += 1;
  return {
    specversion: '1.0',
    id: `spec-${seq}`,
    source: 'urn:nl:nazorg-hub',
    type,
    time: new Date().toISOString(),
    subject: detentionId,
    datacontenttype: 'application/json',
    data: { detentionId, ...data },
    tenant,
  };
}
const id = (suffix = '') => `DJI-SPEC-${Date.now().toString(36)}-${++seq}${suffix}`;
const started = (detentionId: string, bsn: string, days: number | null, tenant = 'eemland-zuid') =>
  delivery(
    DetentionEventType.DETENTION_STARTED,
    detentionId,
    {
      person: { bsn },
      startedAt: '2026-11-20T08:30:00Z',
      expectedReleaseDate:
        days === null ? null : new Date(Date.UTC(2026, 10, 20 + days)).toISOString().slice(0, 10),
      supervision: { organisation: 'reclassering-nederland' },
    },
    tenant,
  );
const released = (detentionId: string, address: object | null, supervisionContinues = false) =>
  delivery(DetentionEventType.DETENTION_RELEASED, detentionId, {
    releasedAt: '2027-02-14T10:00:00Z',
    releaseType: 'end-of-sentence',
    addressAfterRelease: address,
    supervisionContinues,
  });
const details = (o: ConnectorOutcome) => (o.status === 'completed' ? o.result.data.details : undefined);
const PIET_HOME = { street: 'Langestraat', houseNumber: '12', postalCode: '3811AB', city: 'Amersfoort' };

describe('BRP connector', () => {
  it('checks registration and ID and flags the deregistration risk above two thirds of six months', async () => {
    const long = await handle('brp', started(id(), '999990019', 150));
    expect(long).toMatchObject({ status: 'completed', result: { data: { outcome: 'completed' } } });
    expect(details(long)).toMatchObject({
      registered: true,
      municipality: '0307',
      hasAddress: true,
      addressFunction: 'home',
      hasValidIdDocument: true,
      expectedAbsenceDays: 150,
      deregistrationRisk: true,
      addressInvestigation: true,
    });
    expect(details(await handle('brp', started(id(), '999990019', 121)))).toMatchObject({
      deregistrationRisk: false,
    });
    expect(details(await handle('brp', started(id(), '999990019', null)))).toMatchObject({
      deregistrationRisk: null,
    });
  });

  it('compares the BRP’s municipality with the municipality of origin DJI gives', async () => {
    const withOrigin = (bsn: string) => {
      const d = started(id(), bsn, 60);
      return { ...d, data: { ...d.data, municipalityOfOrigin: '0307' } };
    };
    expect(details(await handle('brp', withOrigin('999990019')))).toMatchObject({
      registered: true,
      registeredInMunicipalityOfOrigin: true,
      municipality: '0307',
    });
    // Moved to Utrecht: registered, but not where DJI says the person came from.
    expect(details(await handle('brp', withOrigin('999990093')))).toMatchObject({
      registered: true,
      registeredInMunicipalityOfOrigin: false,
      municipality: '0344',
    });
  });

  it('re-evaluates the deregistration risk when the expected release is set or moves', async () => {
    const rescheduled = (detentionId: string, days: number) =>
      delivery(DetentionEventType.RELEASE_SCHEDULED, detentionId, {
        expectedReleaseDate: new Date(Date.UTC(2026, 10, 20 + days)).toISOString().slice(0, 10),
      });
    const d = id();
    expect(details(await handle('brp', started(d, '999990019', 60)))).toMatchObject({
      deregistrationRisk: false,
      addressInvestigation: false,
    });
    const moved = await handle('brp', rescheduled(d, 150));
    expect(moved).toMatchObject({
      status: 'completed',
      result: { type: ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED },
    });
    expect(details(moved)).toEqual({
      previousRisk: false,
      deregistrationRisk: true,
      revised: true,
      expectedAbsenceDays: 150,
      addressInvestigation: true,
    });
    expect(details(await handle('brp', rescheduled(d, 151)))).toMatchObject({ revised: false });
    // Unknown to the back office at the start: nothing on record to revise.
    expect(await handle('brp', rescheduled(id(), 150))).toEqual({ status: 'not-applicable' });
  });

  it('sees an expired ID document and a postal address', async () => {
    expect(details(await handle('brp', started(id(), '999990020', 30)))).toMatchObject({
      hasValidIdDocument: false,
    });
    expect(details(await handle('brp', started(id(), '999990032', 30)))).toMatchObject({
      addressFunction: 'postal-address',
    });
  });

  it('asks Haal Centraal only for the fields it needs: no name, no address, no document number', async () => {
    await mocks.clear('brp');
    await handle('brp', started(id(), '999990019', 60));
    const [query] = await mocks.requests('brp');
    expect(query.body).toMatchObject({ type: 'RaadpleegMetBurgerservicenummer' });
    // Exactly the connector's list, and that list is only registration, kind of residence and the
    // validity of travel documents.
    expect((query.body as { fields: string[] }).fields).toEqual([...BRP_FIELDS]);
    expect(BRP_FIELDS).toEqual([
      'burgerservicenummer',
      'gemeenteVanInschrijving',
      'verblijfplaats.type',
      'verblijfplaats.functieAdres',
      'reisdocumenten.datumEindeGeldigheid',
    ]);
  });

  it('at release: registered at the address, another address, or a postal address (briefadres) needed', async () => {
    const same = id();
    await handle('brp', started(same, '999990019', 60));
    expect(details(await handle('brp', released(same, PIET_HOME)))).toMatchObject({
      addressCheck: 'registered-at-address',
      postalAddressNeeded: false,
    });
    const other = id();
    await handle('brp', started(other, '999990019', 60));
    expect(
      details(
        await handle('brp', released(other, { ...PIET_HOME, postalCode: '3812 CD', houseNumber: '3' })),
      ),
    ).toMatchObject({ addressCheck: 'change-of-address-needed' });
    const none = id();
    await handle('brp', started(none, '999990019', 60));
    expect(details(await handle('brp', released(none, null)))).toMatchObject({
      hasAddressAfterRelease: false,
      addressCheck: 'postal-address-requested',
      postalAddressNeeded: true,
    });
  });

  it('unknown person, slow and failing system, and a refused request', async () => {
    expect(await handle('brp', started(id(), MOCK_TRIGGERS.unknownBsn, 60))).toMatchObject({
      status: 'completed',
      result: { data: { outcome: 'person-unknown' } },
    });
    expect(await handle('brp', released(id(MOCK_TRIGGERS.unknownSuffix), PIET_HOME))).toMatchObject({
      status: 'completed',
      result: { data: { outcome: 'person-unknown', details: { postalAddressNeeded: false } } },
    });
    expect(await handle('brp', started(id(), MOCK_TRIGGERS.slowBsn, 60))).toMatchObject({ status: 'retry' });
    expect(await handle('brp', released(id(MOCK_TRIGGERS.failingSuffix), PIET_HOME))).toMatchObject({
      status: 'retry',
    });
    // A postcode the back office refuses (400) can never succeed: failed, not retried.
    expect(await handle('brp', released(id(), { ...PIET_HOME, postalCode: 'XX' }))).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('400'),
    });
  });

  it('hasValidDocument compares the end of validity with the start of the detention', () => {
    const doc = (datum: string) => [{ datumEindeGeldigheid: { type: 'Datum', datum } }];
    expect(hasValidDocument(doc('2027-01-01'), '2026-11-20T08:00:00Z')).toBe(true);
    expect(hasValidDocument(doc('2026-11-19'), '2026-11-20T08:00:00Z')).toBe(false);
    expect(hasValidDocument([], '2026-11-20')).toBe(false);
    expect(hasValidDocument(undefined, '2026-11-20')).toBe(false);
  });
});

describe('income connector', () => {
  // 999990019 has a Participatiewet benefit; 999990081 has none.
  it.each([
    ['eemland-zuid', 60, 'suspend', 89],
    ['eemland-zuid', 89, 'suspend', 89],
    ['eemland-zuid', 90, 'stop', 89],
    ['haarlem', 60, 'stop', 30],
    ['haarlem', 30, 'suspend', 30],
    ['eemland-zuid', 120, 'stop', 89],
    ['haarlem', null, 'suspend-pending', 30],
  ])('%s, %s days expected: %s', async (tenant, days, decision, limit) => {
    const outcome = await handle('income', started(id(), '999990019', days, tenant));
    expect(details(outcome)).toMatchObject({
      hasBenefit: true,
      benefits: ['participatiewet'],
      decision,
      suspendUpToDays: limit,
    });
  });

  it('at release resumes a suspended benefit, and flags an advance for a stopped one or none', async () => {
    const suspended = id();
    await handle('income', started(suspended, '999990019', 60, 'eemland-zuid'));
    expect(details(await handle('income', released(suspended, PIET_HOME)))).toMatchObject({
      resumption: 'resumed',
      advanceNeeded: false,
    });
    const stopped = id();
    await handle('income', started(stopped, '999990019', 60, 'haarlem'));
    expect(details(await handle('income', released(stopped, PIET_HOME)))).toMatchObject({
      resumption: 'reapplication-needed',
      advanceNeeded: true,
    });
    const none = id();
    expect(details(await handle('income', started(none, '999990081', 60)))).toMatchObject({
      hasBenefit: false,
      decision: 'none',
    });
    expect(details(await handle('income', released(none, PIET_HOME)))).toMatchObject({
      resumption: 'no-benefit',
      advanceNeeded: true,
    });
    expect(advanceNeeded('resumed')).toBe(false);
  });

  it('at release turns a (provisional) suspension into a stop when the actual length exceeded the limit', async () => {
    // Started 2026-11-20 without an expected date (suspend-pending), released 2027-02-14: 86 days.
    const haarlem = id();
    expect(details(await handle('income', started(haarlem, '999990019', null, 'haarlem')))).toMatchObject({
      decision: 'suspend-pending',
    });
    expect(
      details(await handle('income', { ...released(haarlem, PIET_HOME), tenant: 'haarlem' })),
    ).toMatchObject({
      previousDecision: 'suspend-pending',
      revisedAtRelease: true,
      actualDetentionDays: 86,
      suspendUpToDays: 30,
      resumption: 'reapplication-needed',
      advanceNeeded: true,
    });
    // Within eemland-zuid's 89 days the same suspension is resumed.
    const eemland = id();
    await handle('income', started(eemland, '999990019', null, 'eemland-zuid'));
    expect(details(await handle('income', released(eemland, PIET_HOME)))).toMatchObject({
      revisedAtRelease: false,
      actualDetentionDays: 86,
      resumption: 'resumed',
      advanceNeeded: false,
    });
  });

  describe('when the expected release is set or moves', () => {
    const rescheduled = (detentionId: string, days: number, tenant = 'eemland-zuid') =>
      delivery(
        DetentionEventType.RELEASE_SCHEDULED,
        detentionId,
        { expectedReleaseDate: new Date(Date.UTC(2026, 10, 20 + days)).toISOString().slice(0, 10) },
        tenant,
      );

    it('turns a suspension that now runs past the limit into a stop, so release asks to re-apply', async () => {
      const detention = id();
      await handle('income', started(detention, '999990019', 60, 'eemland-zuid'));
      const outcome = await handle('income', rescheduled(detention, 120));
      expect(outcome).toMatchObject({
        status: 'completed',
        result: { type: ConnectorResultType.INCOME_DECISION_REVISED },
      });
      expect(details(outcome)).toEqual({
        previousDecision: 'suspend',
        decision: 'stop',
        revised: true,
        expectedDetentionDays: 120,
        suspendUpToDays: 89,
      });
      expect(details(await handle('income', released(detention, PIET_HOME)))).toMatchObject({
        resumption: 'reapplication-needed',
        advanceNeeded: true,
      });
    });

    it('makes a pending suspension definite, and keeps a suspension that still fits', async () => {
      const pending = id();
      await handle('income', started(pending, '999990019', null, 'haarlem'));
      expect(details(await handle('income', rescheduled(pending, 20, 'haarlem')))).toMatchObject({
        previousDecision: 'suspend-pending',
        decision: 'suspend',
        revised: true,
      });
      const fits = id();
      await handle('income', started(fits, '999990019', 30, 'eemland-zuid'));
      expect(details(await handle('income', rescheduled(fits, 89)))).toMatchObject({
        previousDecision: 'suspend',
        decision: 'suspend',
        revised: false,
        expectedDetentionDays: 89,
      });
    });

    it('leaves a stop, no benefit and a detention without a measure alone', async () => {
      const stopped = id();
      await handle('income', started(stopped, '999990019', 60, 'haarlem'));
      expect(await handle('income', rescheduled(stopped, 10, 'haarlem'))).toEqual({
        status: 'not-applicable',
      });
      const none = id();
      await handle('income', started(none, '999990081', 10));
      expect(await handle('income', rescheduled(none, 200))).toEqual({ status: 'not-applicable' });
      expect(await handle('income', rescheduled(id(), 200))).toEqual({ status: 'not-applicable' });
    });

    it('is retried when the administration fails', async () => {
      expect(await handle('income', rescheduled(id(MOCK_TRIGGERS.erroringSuffix), 200))).toMatchObject({
        status: 'retry',
        reason: expect.stringContaining('500'),
      });
    });
  });

  it('release of a detention the administration does not know: person-unknown, advance flagged', async () => {
    expect(await handle('income', released(id(), PIET_HOME))).toMatchObject({
      status: 'completed',
      result: { data: { outcome: 'person-unknown', details: { advanceNeeded: true } } },
    });
  });

  it('slow, failing and erroring systems are retried', async () => {
    expect(await handle('income', started(id(), MOCK_TRIGGERS.slowBsn, 60))).toMatchObject({
      status: 'retry',
    });
    expect(await handle('income', released(id(MOCK_TRIGGERS.erroringSuffix), null))).toMatchObject({
      status: 'retry',
      reason: expect.stringContaining('500'),
    });
  });
});

describe('schuldhulp connector', () => {
  // As the hub sends it: the debts only with consent.schuldhulp (the privacy profile).
  const referral = (detentionId: string, debts: object | undefined) =>
    delivery(AftercareEventType.REFERRAL_REQUESTED, detentionId, debts ? { debts } : {});
  const debts = { hasDebts: true, cjibDebt: true, estimatedTotal: '1000-10000', wantsHelp: true };

  it.each([
    [MOCK_TRIGGERS.declinedSuffix, 'declined'],
    [MOCK_TRIGGERS.waitingListSuffix, 'waiting-list'],
  ])('records debt help’s decision (%s → %s)', async (suffix, status) => {
    expect(details(await handle('schuldhulp', referral(id(suffix), debts)))).toMatchObject({ status });
  });

  it('refers on the hub’s referral request, with the debts only when they came with it', async () => {
    const outcome = await handle('schuldhulp', referral(id(), debts));
    expect(details(outcome)).toMatchObject({
      status: expect.stringMatching(/accepted|declined|waiting-list/),
      cjibDebtOutsideRescheduling: true,
    });
    await mocks.clear('schuldhulp');
    const d = id();
    // No consent (tenant that does not require it): the hub still refers, without any debts.
    expect(details(await handle('schuldhulp', referral(d, undefined)))).toMatchObject({
      cjibDebtOutsideRescheduling: null,
    });
    const [sent] = await mocks.requests('schuldhulp');
    expect(sent.body).toEqual({ detentionId: d });
  });

  it('does not act on the raw screening: the hub decides on referrals', async () => {
    const screening = delivery(DetentionEventType.SCREENING_COMPLETED, id(), { debts });
    expect(await handle('schuldhulp', screening)).toEqual({ status: 'not-applicable' });
  });

  it('unknown person, and a 4xx refusal that is not retried', async () => {
    expect(await handle('schuldhulp', referral(id(MOCK_TRIGGERS.unknownSuffix), debts))).toMatchObject({
      result: { data: { outcome: 'person-unknown' } },
    });
    expect(await handle('schuldhulp', referral(id(), { ...debts, estimatedTotal: 'veel' }))).toMatchObject({
      status: 'failed',
    });
  });
});

describe('zorg connector', () => {
  // The hub's care referral after a screening (care only with consent.zorg).
  const screening = (detentionId: string, areas: string[], housing = 'rental') =>
    delivery(AftercareEventType.REFERRAL_REQUESTED, detentionId, {
      care: { needsCare: true, areas, currentProviders: [] },
      housing: { situation: housing, atRiskOfLoss: false },
    });
  const handover = (detentionId: string) =>
    delivery(AftercareEventType.WARM_HANDOVER_DUE, detentionId, { expectedReleaseDate: '2027-02-14' });

  it('at warm handover notifies the partners for the remembered care areas and probation', async () => {
    // Fixed: acknowledgements are drawn per detention and partner; here Exodus and probation
    // acknowledged, Victas and GGZ Centraal not yet.
    const d = 'DJI-T-BEVESTIGING-0067';
    await handle('zorg', started(d, '999990019', 90));
    await handle('zorg', screening(d, ['addiction', 'ggz'], 'homeless'));
    const outcome = await handle('zorg', handover(d));
    expect(outcome).toMatchObject({
      status: 'completed',
      result: { type: ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED },
    });
    const { partners, acknowledgedBy, awaitingAcknowledgement } = details(outcome) as Record<
      string,
      string[]
    >;
    expect(partners).toEqual(['Victas', 'GGZ Centraal', 'Exodus', 'Reclassering Nederland']);
    expect(acknowledgedBy).toEqual(['Exodus', 'Reclassering Nederland']);
    expect(awaitingAcknowledgement).toEqual(['Victas', 'GGZ Centraal']);
  });

  it('sends the care platform no BSN and no address', async () => {
    await mocks.clear('zorg');
    const d = id();
    await handle('zorg', started(d, '999990019', 90));
    await handle('zorg', released(d, PIET_HOME, true));
    const sent = JSON.stringify(await mocks.requests('zorg'));
    expect(sent).not.toContain('999990019');
    expect(sent).not.toContain('Langestraat');
  });

  it('at release: probation when supervision continues, Exodus without an address', async () => {
    const d = id();
    await handle('zorg', screening(d, ['lvb']));
    expect(details(await handle('zorg', released(d, null, true)))).toMatchObject({
      partners: ['Sociaal Kernteam', 'Exodus', 'Reclassering Nederland'],
    });
  });

  it('a warm handover without a traject, or for an unknown detention, is person-unknown', async () => {
    expect(await handle('zorg', handover(id()))).toMatchObject({
      result: { data: { outcome: 'person-unknown', details: { partners: [] } } },
    });
    expect(await handle('zorg', handover(id(MOCK_TRIGGERS.unknownSuffix)))).toMatchObject({
      result: { data: { outcome: 'person-unknown' } },
    });
    expect(await handle('zorg', handover(id(MOCK_TRIGGERS.slowSuffix)))).toMatchObject({ status: 'retry' });
    expect(await handle('zorg', handover(id(MOCK_TRIGGERS.failingSuffix)))).toMatchObject({
      status: 'retry',
    });
  });

  it('meldingFor picks only the fields the care platform needs', () => {
    const m = meldingFor(released('X', PIET_HOME, false));
    expect(m).toEqual({
      detentionId: 'X',
      moment: 'release',
      releasedAt: '2027-02-14T10:00:00Z',
      supervision: false,
      specialistHousing: false,
    });
    // The raw screening is not acted on; a referral without care data (no consent) goes to the platform.
    expect(
      meldingFor(delivery(DetentionEventType.SCREENING_COMPLETED, 'X', { care: { needsCare: true } })),
    ).toBeUndefined();
    expect(meldingFor(delivery(AftercareEventType.REFERRAL_REQUESTED, 'X', {}))).toEqual({
      detentionId: 'X',
      moment: 'screening',
      careAreas: [],
      currentProviders: [],
      specialistHousing: false,
    });
  });
});

describe('every connector: a slow answer within the timeout succeeds, an HTTP 500 is retried', () => {
  // The same mocks (slow answers after 800 ms), but connectors that wait up to 3 s.
  let patient: INestApplication;
  beforeAll(async () => {
    const env = { ...process.env, ...mocks.connectorEnv(), CONNECTOR_HTTP_TIMEOUT_MS: '3000' };
    @Module({ imports: [ConfigModule.forRoot({ env }), ConnectorsModule] })
    class PatientModule {}
    patient = await NestFactory.create(PatientModule, { logger: false });
    await patient.init();
  });
  afterAll(async () => {
    await patient?.close();
  });
  const referral = (detentionId: string) =>
    delivery(AftercareEventType.REFERRAL_REQUESTED, detentionId, {
      debts: { hasDebts: true, cjibDebt: false, estimatedTotal: '<1000', wantsHelp: true },
      care: { needsCare: true, areas: ['ggz'], currentProviders: [] },
    });
  // The BSN triggers for the systems that get one, the detention-id suffixes for those that do not.
  const slow: [ConnectorKind, () => CloudEvent][] = [
    ['brp', () => started(id(), MOCK_TRIGGERS.slowBsn, 60)],
    ['income', () => started(id(), MOCK_TRIGGERS.slowBsn, 60)],
    ['schuldhulp', () => referral(id(MOCK_TRIGGERS.slowSuffix))],
    ['zorg', () => referral(id(MOCK_TRIGGERS.slowSuffix))],
  ];
  const erroring: [ConnectorKind, () => CloudEvent][] = [
    ['brp', () => started(id(), MOCK_TRIGGERS.erroringBsn, 60)],
    ['income', () => started(id(), MOCK_TRIGGERS.erroringBsn, 60)],
    ['schuldhulp', () => referral(id(MOCK_TRIGGERS.erroringSuffix))],
    ['zorg', () => referral(id(MOCK_TRIGGERS.erroringSuffix))],
  ];

  it.each(slow)('%s completes when its system answers slowly but in time', async (kind, make) => {
    const outcome = await patient.get(ConnectorFactory).forKind(kind).handle(make());
    expect(outcome).toMatchObject({ status: 'completed', result: { data: { outcome: 'completed' } } });
  });

  it.each(erroring)('%s answers retry, naming the 500, when its system fails', async (kind, make) => {
    const outcome = await handle(kind, make());
    expect(outcome).toEqual({ status: 'retry', reason: expect.stringContaining('answered 500') });
    if (outcome.status === 'retry') expect(outcome.reason).not.toMatch(/\d{9}/);
  });
});
