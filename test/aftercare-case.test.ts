import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { AftercareSchedulerService, CaseRefreshWorker, WorkingDaysCalendar } from '@nazorg/aftercare';
import {
  AftercareEventType,
  CloudEvent,
  ConnectorResultType,
  DPAN_ANSWER_TOPIC,
  FeedSource,
  HUB_SOURCE,
  kindOfResultType,
  stableUuid,
} from '@nazorg/contracts';
import { BrokerIdentity } from '@nazorg/config';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { connectorResult, DEMO_TOKENS, Events, HubHarness, writeTenantsFile } from '@nazorg/testing';
import { randomUUID } from 'node:crypto';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * Issue 4 on the real services: the case per detention (order-independent), tenant policy, the
 * DPAN answer on Kafka, the warm-handover window, deadline alerts on a clock the test controls,
 * and the registration report. Connector results are published to `hub.results` as the connectors
 * would, so these rules are tested apart from the external systems.
 */
const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('aftercare: case state, tenant policy, DPAN answer, deadlines, report', () => {
  const calendar = new WorkingDaysCalendar();
  let hub: HubHarness;
  let ops: INestApplication;
  let opsUrl: string;
  let cases: CaseStorePort;
  let scheduler: AftercareSchedulerService;

  beforeAll(async () => {
    const tenantsFile = writeTenantsFile((file) => {
      const haarlem = file.tenants.find((t) => t.id === 'haarlem')!;
      // Haarlem refers without consent (Wet Straffen en Beschermen); Westland keeps the national
      // default and needs it for both partners.
      haarlem.policy = { warmHandoverDaysBeforeRelease: 60, consentRequiredFor: [] };
      // A tenant of its own for the report, so other tests' cases do not count.
      file.tenants.push({
        id: 'rapport',
        name: 'Rapportgemeente',
        municipalities: ['0344'],
        // Results are stored only as answers to the hub's own deliveries: one recipient per kind.
        recipients: ['brp', 'income', 'schuldhulp', 'zorg', 'coordinator'].map((kind) => ({
          id: `${kind}-rapport`,
          kind,
        })),
      } as never);
      // Narrowed profiles: the hub's own messages must keep to them like feed deliveries do.
      file.tenants.push({
        id: 'smal',
        name: 'Smalle profielen',
        municipalities: ['0363'],
        recipients: [
          {
            id: 'zorg-smal',
            kind: 'zorg',
            profile: { version: '2026-07', fields: ['detentionId', 'care.areas'] },
          },
          {
            id: 'coordinator-smal',
            kind: 'coordinator',
            profile: { version: '2026-08', fields: ['startedAt'] },
          },
        ],
        // No consent needed for the warm handover, so it goes without a screening.
        policy: { consentRequiredFor: [] },
      } as never);
    });
    const env = {
      TENANTS_FILE: tenantsFile,
      OPS_COORDINATOR_TOKENS: [
        'eemland-zuid=demo-coordinator-eemland-zuid-token',
        'westland=demo-coordinator-westland-token',
        'haarlem=demo-coordinator-haarlem-token',
        'rapport=demo-coordinator-rapport-token',
      ].join(','),
    };
    ops = await bootstrapOps({ port: 0, env: { ...process.env, ...env } });
    opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    hub = await HubHarness.start({ env });
    cases = hub.app.get<CaseStorePort>(CASE_STORE);
    scheduler = hub.app.get(AftercareSchedulerService);
  });
  afterAll(async () => {
    await ops?.close();
    await hub?.stop();
  });

  const tokenOf = (e: CloudEvent<object>) =>
    e.source === FeedSource.DPAN ? DEMO_TOKENS.dpan : DEMO_TOKENS.injus;
  /** Posts events, then waits until their cases are projected (the worker does it asynchronously). */
  async function post(...events: CloudEvent<object>[]) {
    for (const e of events) expect((await hub.postHttp(e, tokenOf(e))).status).toBe(202);
    await hub.app.get(CaseRefreshWorker).drain();
  }
  /** Publishes a connector result as a connector would; returns its id. */
  async function result(
    detentionId: string,
    type: string,
    recipientId: string,
    details: Record<string, unknown>,
    time = new Date(),
    correlationid?: string,
  ): Promise<string> {
    const event = connectorResult(type as ConnectorResultType, detentionId, recipientId, details, {
      time: time.toISOString(),
      ...(correlationid ? { correlationid, causationid: randomUUID() } : {}),
    });
    const id = event.id;
    await hub
      .publisherAs(`connector-${kindOfResultType(type as ConnectorResultType)}` as BrokerIdentity)
      .publish({
        exchange: 'hub.results',
        routingKey: type,
        body: JSON.stringify(event),
      });
    return id;
  }
  const get = async (path: string, token: string) => {
    const r = await fetch(`${opsUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };
  const caseOf = async (id: string) => (await cases.find(id))?.state as Record<string, unknown> | undefined;

  it('answers DPAN on Kafka once BRP and income results are in, once, within seconds', async () => {
    const dpan = await hub.listenKafka(DPAN_ANSWER_TOPIC);
    try {
      const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
      const id = started.subject;
      await post(started);
      await result(
        id,
        ConnectorResultType.BRP_REGISTRATION_CHECKED,
        'brp-haarlem',
        { registered: true, municipality: '0392', hasAddress: true },
        new Date(),
        started.id,
      );
      await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [id], 1);
      await new Promise((r) => setTimeout(r, 1000));
      // Registration alone is not yet an answer.
      expect(dpan.received.filter((e) => e.subject === id)).toEqual([]);

      const sentAt = Date.now();
      const incomeResult = await result(
        id,
        ConnectorResultType.INCOME_BENEFITS_CHECKED,
        'income-haarlem',
        { hasBenefit: true },
        new Date(),
        started.id,
      );
      await hub.probe.waitFor(() => dpan.received.some((e) => e.subject === id), 15000, 'the DPAN answer');
      const latencyMs = Date.now() - sentAt;
      process.stdout.write(`[aftercare] DPAN answer ${latencyMs} ms after the income result\n`);
      const answer = dpan.received.find((e) => e.subject === id)!;
      expect(answer).toMatchObject({
        type: AftercareEventType.DPAN_MUNICIPAL_INFO,
        source: HUB_SOURCE,
        tenant: 'haarlem',
        data: {
          detentionId: id,
          municipality: 'haarlem',
          brp: { outcome: 'completed', registered: true, hasAddress: true },
          income: { outcome: 'completed', hasBenefit: true },
          aftercare: { required: true, contact: 'coordinator-haarlem' },
        },
      });
      // Nothing about the person beyond what DJI gave and what the municipality found.
      expect(JSON.stringify(answer)).not.toContain('999990019');
      // Its chain: the notification started it, the income result (the later of the two) caused it.
      expect(answer).toMatchObject({ correlationid: started.id, causationid: incomeResult });
      // A keyed id: the unkeyed name-based UUID of the detention id would identify it after erasure.
      expect(answer.id).not.toBe(stableUuid('dpan-answer', id));

      // A later result does not answer again; the answer is in the disclosure log.
      await result(id, ConnectorResultType.BRP_REGISTRATION_CHECKED, 'brp-haarlem', { registered: true });
      await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [id], 3);
      await new Promise((r) => setTimeout(r, 1000));
      expect(dpan.received.filter((e) => e.subject === id)).toHaveLength(1);
      const [record] = await hub.db.query(
        `select recipient_id, legal_ground, field_paths from disclosure_record where detention_pseudonym = $1 and recipient_kind = 'dpan'`,
        [hub.pseudonym(id)],
      );
      expect(record.recipient_id).toBe('dji-dpan');
      expect(record.legal_ground).toMatch(/DPAN/);
      expect(record.field_paths).toContain('brp.registered');
    } finally {
      await dpan.stop();
    }
  });

  it('converges to the same case whatever order the events arrive in', async () => {
    const t0 = Date.now() - 10 * DAY;
    const at = (days: number) => new Date(t0 + days * DAY).toISOString();
    const lifecycle = (id: string) => {
      const events = [
        { ...Events.started(id, { municipalityOfOrigin: '1783', startedAt: at(0) }), time: at(0) },
        {
          ...Events.transferred(id),
          time: at(1),
          data: { ...Events.transferred(id).data, transferredAt: at(1) },
        },
        { ...Events.screening(id, { screenedAt: at(2) }), time: at(2) },
        { ...Events.releaseScheduled(id, '2027-03-01'), time: at(3) },
        { ...Events.releaseScheduled(id, '2027-04-01'), time: at(4) },
        { ...Events.released(id, { releasedAt: at(5) }), time: at(5) },
        // Released twice, the second time a day later and without supervision: that one stands.
        { ...Events.released(id, { releasedAt: at(6), supervisionContinues: false }), time: at(6) },
      ];
      return events.map((e, i) => ({ ...e, id: `${id}-e${i}` }));
    };
    const orders = [
      [0, 1, 2, 3, 4, 5, 6],
      [6, 5, 4, 3, 2, 1, 0],
      ...fc.sample(fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 }), {
        seed: 20261125,
        numRuns: 4,
      }),
    ];
    const states: string[] = [];
    for (const [k, order] of orders.entries()) {
      const id = `DJI-T-CONVERGE-${Date.now().toString(36).toUpperCase()}-${k}`;
      const events = lifecycle(id);
      await post(...order.map((i) => events[i]));
      const state = await caseOf(id);
      expect(state).toBeDefined();
      states.push(JSON.stringify(state).replaceAll(id, 'ID'));
    }
    expect(new Set(states).size).toBe(1);
    const state = JSON.parse(states[0].replaceAll('ID', 'x'));
    expect(state).toMatchObject({
      status: 'released',
      releasedAt: at(6),
      supervision: false,
      expectedReleaseDate: '2027-04-01',
      institutions: [expect.objectContaining({ code: 'PI-NWG' }), expect.anything()],
      conditions: {
        housing: { assessment: 'problem', source: 'nl.dji.dpan.screening.completed.v1' },
        identity: { assessment: 'ok' },
      },
    });
  });

  it('applies each tenant policy: minimum length and the flags that always qualify', async () => {
    const start = Date.now() - 3600_000;
    const detention = async (municipality: string, days: number, topX = false, pga = false) => {
      const started = Events.started(undefined, {
        municipalityOfOrigin: municipality,
        startedAt: new Date(start).toISOString(),
        expectedReleaseDate: isoDay(new Date(start + days * DAY)),
        flags: { topX, pga, bij: false },
      });
      await post(started);
      const [row] = await hub.db.query(
        `select aftercare_required from aftercare_case where detention_id = $1`,
        [started.subject],
      );
      return row.aftercare_required as boolean;
    };
    // Eemland Zuid (like Amersfoort): 90 days, but Top X and PGA always.
    expect(await detention('0307', 30)).toBe(false);
    expect(await detention('0307', 120)).toBe(true);
    expect(await detention('0307', 30, true)).toBe(true);
    expect(await detention('0307', 30, false, true)).toBe(true);
    // Westland does not let PGA qualify a short stay.
    expect(await detention('1783', 5, false, true)).toBe(false);
    // Westland: no duty under 10 days.
    expect(await detention('1783', 5)).toBe(false);
    expect(await detention('1783', 30)).toBe(true);
    // Haarlem: national default, always.
    expect(await detention('0392', 5)).toBe(true);
  });

  /** The hub's referral requests for a detention as they stand in the outbox (committed with the case). */
  const referralRows = async (id: string) =>
    (
      (await hub.db.query(
        `select recipient_id, disclosed_paths from delivery where detention_id = $1 and message->>'type' = $2
         order by recipient_id`,
        [id, AftercareEventType.REFERRAL_REQUESTED],
      )) as { recipient_id: string; disclosed_paths: string[] }[]
    ).map((r) => ({ recipient: r.recipient_id, paths: [...r.disclosed_paths].sort() }));

  it('decides referrals by the consent policy: without consent Haarlem refers (without debts or care), Westland does not', async () => {
    // Debts with a wish for help and care needs, but no consent recorded.
    const noConsent = { consent: { schuldhulp: false, zorg: false } };
    const haarlem = Events.started(undefined, { municipalityOfOrigin: '0392' });
    const westland = Events.started(undefined, { municipalityOfOrigin: '1783' });
    const haarlemScreening = Events.screening(haarlem.subject, noConsent);
    await post(haarlem, westland, haarlemScreening, Events.screening(westland.subject, noConsent));

    expect((await caseOf(haarlem.subject))?.referralsDue).toEqual({ schuldhulp: true, zorg: true });
    expect((await caseOf(westland.subject))?.referralsDue).toEqual({ schuldhulp: false, zorg: false });
    // Decided and written with the case: Westland's outbox holds no referral at all.
    expect(await referralRows(westland.subject)).toEqual([]);
    expect(await referralRows(haarlem.subject)).toEqual([
      {
        recipient: 'schuldhulp-haarlem',
        paths: ['detentionId', 'incomeWork.benefitType', 'incomeWork.situation', 'screenedAt'],
      },
      {
        recipient: 'zorg-haarlem',
        paths: ['detentionId', 'housing.atRiskOfLoss', 'housing.situation', 'screenedAt'],
      },
    ]);
    // What the partners receive: no debts, no care, no consent; caused by the screening.
    const requests = (recipient: string) =>
      hub.probe
        .about(haarlem.subject, recipient)
        .filter((m) => m.event.type === AftercareEventType.REFERRAL_REQUESTED);
    await hub.probe.waitFor(
      () => requests('schuldhulp-haarlem').length === 1 && requests('zorg-haarlem').length === 1,
    );
    for (const recipient of ['schuldhulp-haarlem', 'zorg-haarlem']) {
      const [request] = requests(recipient);
      expect(
        Object.keys(request.event.data).filter((k) => /^(debts|care|consent|socialNetwork)$/.test(k)),
      ).toEqual([]);
      expect(request.event).toMatchObject({
        causationid: haarlemScreening.id,
        correlationid: haarlemScreening.id,
        tenant: 'haarlem',
        recipient,
      });
    }
  });

  it('with consent refers with the debts and care fields; a later screening that withdraws consent stops the warm handover', async () => {
    const now = Date.now();
    const expected = isoDay(new Date(now + 45 * DAY));
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString();
    const started = () =>
      Events.started(undefined, {
        municipalityOfOrigin: '1783',
        startedAt: at(5),
        expectedReleaseDate: expected,
      });
    const screening = (id: string, hoursAgo: number, consent: { schuldhulp: boolean; zorg: boolean }) => ({
      ...Events.screening(id, { screenedAt: at(hoursAgo), consent }),
      time: at(hoursAgo),
    });
    const withdrawn = started();
    const kept = started();
    const both = { schuldhulp: true, zorg: true };
    await post(withdrawn, kept, screening(withdrawn.subject, 3, both), screening(kept.subject, 3, both));

    // Consent recorded: Westland refers, and the profile lets the debts and care through.
    const rows = await referralRows(withdrawn.subject);
    expect(rows.map((r) => r.recipient)).toEqual(['schuldhulp-westland', 'zorg-westland']);
    expect(rows[0].paths).toEqual(expect.arrayContaining(['debts.hasDebts', 'debts.estimatedTotal']));
    expect(rows[1].paths).toEqual(expect.arrayContaining(['care.areas', 'care.needsCare']));

    // A later screening withdraws it for one of them; then the warm-handover window opens.
    await post(screening(withdrawn.subject, 1, { schuldhulp: false, zorg: false }));
    await scheduler.scan(new Date(now + 20 * DAY));
    const handovers = async (id: string) =>
      Number(
        (
          await hub.db.query(
            `select count(*) from delivery where detention_id = $1 and message->>'type' = $2`,
            [id, AftercareEventType.WARM_HANDOVER_DUE],
          )
        )[0].count,
      );
    expect(await handovers(kept.subject)).toBe(1);
    expect(await handovers(withdrawn.subject)).toBe(0);
    // And nothing new was referred after the withdrawal.
    expect(await referralRows(withdrawn.subject)).toEqual(rows);
    expect((await caseOf(withdrawn.subject))?.referralsDue).toEqual({ schuldhulp: false, zorg: false });
  });

  it('starts the warm handover when the tenant window opens, and again when the date moves', async () => {
    const now = Date.now();
    const expected = isoDay(new Date(now + 45 * DAY));
    const haarlem = Events.started(undefined, {
      municipalityOfOrigin: '0392',
      expectedReleaseDate: expected,
    });
    const westland = Events.started(undefined, {
      municipalityOfOrigin: '1783',
      expectedReleaseDate: expected,
    });
    // Westland needs consent for the warm handover to care partners (national default).
    await post(
      haarlem,
      westland,
      Events.screening(westland.subject, { consent: { schuldhulp: false, zorg: true } }),
    );
    const handovers = (id: string, recipient: string) =>
      hub.probe
        .about(id, recipient)
        .filter((m) => m.event.type === AftercareEventType.WARM_HANDOVER_DUE)
        .map((m) => m.event.data as { expectedReleaseDate: string });

    // Haarlem opens 60 days before (test policy), Westland 30 (national): only Haarlem today.
    await scheduler.scan(new Date(now));
    await hub.probe.waitFor(() => handovers(haarlem.subject, 'zorg-haarlem').length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(handovers(westland.subject, 'zorg-westland')).toEqual([]);
    expect(hub.probe.about(haarlem.subject, 'zorg-haarlem').at(-1)?.event).toMatchObject({
      data: { detentionId: haarlem.subject, expectedReleaseDate: expected },
      // The expected date came with the notification: that is its cause and its chain.
      correlationid: haarlem.id,
      causationid: haarlem.id,
      tenant: 'haarlem',
      recipient: 'zorg-haarlem',
    });

    // Twenty days on, Westland's window is open too; Haarlem is not told twice.
    await scheduler.scan(new Date(now + 20 * DAY));
    await hub.probe.waitFor(() => handovers(westland.subject, 'zorg-westland').length === 1);
    expect(handovers(haarlem.subject, 'zorg-haarlem')).toHaveLength(1);

    // The date moves: a new handover for the new date, caused by the announcement.
    const later = isoDay(new Date(now + 50 * DAY));
    const moved = Events.releaseScheduled(haarlem.subject, later);
    await post(moved);
    await scheduler.scan(new Date(now + 1 * DAY));
    await hub.probe.waitFor(() => handovers(haarlem.subject, 'zorg-haarlem').length === 2);
    expect(handovers(haarlem.subject, 'zorg-haarlem')[1].expectedReleaseDate).toBe(later);
    expect(
      hub.probe
        .about(haarlem.subject, 'zorg-haarlem')
        .filter((m) => m.event.type === AftercareEventType.WARM_HANDOVER_DUE)
        .at(-1)?.event,
    ).toMatchObject({ correlationid: moved.id, causationid: moved.id });
  });

  it('alerts the coordinator when a deadline is threatened or missed, on the test clock, queryable per tenant', async () => {
    const started = Events.started(undefined, {
      municipalityOfOrigin: '1783',
      startedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
      expectedReleaseDate: isoDay(new Date(Date.now() + 200 * DAY)),
    });
    const id = started.subject;
    await post(started);
    const alerts = () =>
      hub.probe
        .about(id, 'coordinator-westland')
        .filter((m) => m.event.type === AftercareEventType.DEADLINE_ALERT)
        .map((m) => m.event.data as { deadline: string; status: string; dueOn: string });

    // Notified in time, nothing due yet.
    expect((await scheduler.scan(new Date())).cases).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts()).toEqual([]);

    // On the last working day for the municipal answer (5 working days), it is threatened.
    const answerDue = calendar.addWorkingDays(new Date(), 5);
    await scheduler.scan(new Date(`${answerDue}T10:00:00+01:00`));
    await hub.probe.waitFor(() => alerts().some((a) => a.deadline === 'municipal-answer'));
    expect(alerts()).toContainEqual({
      detentionId: id,
      deadline: 'municipal-answer',
      status: 'threatened',
      dueOn: answerDue,
    });

    // Three weeks on, without answer or screening: both missed. The screening's ten working days
    // count from the notification (seed 004), i.e. when the hub received the start.
    const [{ notified_at }] = await hub.db.query(
      `select notified_at from aftercare_case where detention_id = $1`,
      [id],
    );
    const screeningDue = calendar.addWorkingDays(notified_at as Date, 10);
    await scheduler.scan(new Date(Date.now() + 21 * DAY));
    await hub.probe.waitFor(() => alerts().filter((a) => a.status === 'missed').length === 2);
    expect(alerts()).toEqual(
      expect.arrayContaining([
        { detentionId: id, deadline: 'municipal-answer', status: 'missed', dueOn: answerDue },
        { detentionId: id, deadline: 'screening', status: 'missed', dueOn: screeningDue },
      ]),
    );
    // Every alert follows from the notification, in its chain.
    for (const m of hub.probe
      .about(id, 'coordinator-westland')
      .filter((m) => m.event.type === AftercareEventType.DEADLINE_ALERT))
      expect(m.event).toMatchObject({
        correlationid: started.id,
        causationid: started.id,
        tenant: 'westland',
      });
    // Scanning again raises nothing new.
    await scheduler.scan(new Date(Date.now() + 22 * DAY));
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts()).toHaveLength(3);

    // Queryable: the coordinator sees its tenant's alerts by detention id, another tenant none of
    // them, the operator pseudonyms only.
    const own = JSON.parse((await get('/api/v1/alerts', 'demo-coordinator-westland-token')).text).items;
    expect(own.filter((a: { detentionId: string }) => a.detentionId === id)).toHaveLength(3);
    const other = JSON.parse((await get('/api/v1/alerts', 'demo-coordinator-haarlem-token')).text).items;
    expect(other.filter((a: { tenantId: string }) => a.tenantId === 'westland')).toEqual([]);
    const operator = (await get('/api/v1/alerts', 'demo-operator-token')).text;
    expect(operator).not.toContain(id);
    expect(JSON.parse(operator).items.length).toBeGreaterThanOrEqual(3);
    // The case itself is for the tenant's coordinator only.
    expect((await get(`/api/v1/detentions/${id}/case`, 'demo-coordinator-westland-token')).status).toBe(200);
    expect((await get(`/api/v1/detentions/${id}/case`, 'demo-coordinator-haarlem-token')).status).toBe(404);
    expect((await get(`/api/v1/detentions/${id}/case`, 'demo-operator-token')).status).toBe(403);
  });

  it('threatens release readiness when the window opens with a condition unresolved, and misses it at release', async () => {
    const now = Date.now();
    const expected = isoDay(new Date(now + 45 * DAY));
    // Detained for 40 days already (the actual length at release still owes aftercare in Westland).
    const start = () =>
      Events.started(undefined, {
        municipalityOfOrigin: '1783',
        startedAt: new Date(now - 40 * DAY).toISOString(),
        expectedReleaseDate: expected,
      });
    const unresolved = start();
    const inOrder = start();
    await post(unresolved, inOrder);
    // One without a valid ID (and with the factory's other problems); one with every condition in order.
    await post(
      Events.screening(unresolved.subject, { identity: { hasValidId: false, documentType: 'none' } }),
      Events.screening(inOrder.subject, {
        identity: { hasValidId: true, documentType: 'passport' },
        housing: { situation: 'own-home', atRiskOfLoss: false },
        incomeWork: { situation: 'employed', benefitType: null },
        debts: { hasDebts: false, cjibDebt: false, estimatedTotal: '<1000', wantsHelp: false },
        care: { needsCare: false, areas: [], currentProviders: [] },
        socialNetwork: { supportive: true },
      }),
    );
    const readiness = (id: string) =>
      hub.probe
        .about(id, 'coordinator-westland')
        .filter(
          (m) =>
            m.event.type === AftercareEventType.DEADLINE_ALERT &&
            (m.event.data as { deadline: string }).deadline === 'release-readiness',
        )
        .map((m) => m.event);
    const listed = async (id: string) =>
      (
        JSON.parse((await get('/api/v1/alerts', 'demo-coordinator-westland-token')).text).items as {
          detentionId: string;
          deadline: string;
          status: string;
          dueOn: string;
        }[]
      )
        .filter((a) => a.detentionId === id && a.deadline === 'release-readiness')
        .map(({ status, dueOn }) => ({ status, dueOn }));

    // Today the window (30 days before the expected release) is not open: nothing yet.
    await scheduler.scan(new Date(now));
    // Twenty days on it is (it opened on day 15): the one with an unresolved condition is threatened.
    await scheduler.scan(new Date(now + 20 * DAY));
    await hub.probe.waitFor(() => readiness(unresolved.subject).length === 1, 15000, 'the threatened alert');
    expect(readiness(unresolved.subject)[0]).toMatchObject({
      data: {
        detentionId: unresolved.subject,
        deadline: 'release-readiness',
        status: 'threatened',
        dueOn: expected,
      },
      // The date it is threatened for came with the notification.
      causationid: unresolved.id,
      correlationid: unresolved.id,
    });
    expect(await listed(unresolved.subject)).toEqual([{ status: 'threatened', dueOn: expected }]);

    // Released with the condition still unresolved: missed, caused by the release.
    const releasedAt = new Date(now + 30 * 60_000);
    const releaseDay = calendar.addCalendarDays(releasedAt, 0); // in Amsterdam
    const release = Events.released(unresolved.subject, { releasedAt: releasedAt.toISOString() });
    await post(release, Events.released(inOrder.subject, { releasedAt: releasedAt.toISOString() }));
    await hub.probe.waitFor(() => readiness(unresolved.subject).length === 2, 15000, 'the missed alert');
    expect(readiness(unresolved.subject)[1]).toMatchObject({
      data: { deadline: 'release-readiness', status: 'missed', dueOn: releaseDay },
      causationid: release.id,
    });
    expect(await listed(unresolved.subject)).toEqual(
      expect.arrayContaining([
        { status: 'threatened', dueOn: expected },
        { status: 'missed', dueOn: releaseDay },
      ]),
    );
    // Every condition in order: never threatened, met at release.
    expect(readiness(inOrder.subject)).toEqual([]);
    expect(await listed(inOrder.subject)).toEqual([]);
    const met = ((await caseOf(inOrder.subject))?.deadlines as { deadline: string; status: string }[]).find(
      (d) => d.deadline === 'release-readiness',
    );
    expect(met?.status).toBe('met');
  });

  it('tracks the chain’s deadlines also where the tenant owes no aftercare, but not release readiness', async () => {
    // Westland owes no aftercare under 10 days; DPAN still wants its answer and its screening.
    const started = Events.started(undefined, {
      municipalityOfOrigin: '1783',
      startedAt: new Date(Date.now() - 3600_000).toISOString(),
      expectedReleaseDate: isoDay(new Date(Date.now() + 5 * DAY)),
      flags: { topX: false, pga: false, bij: false },
    });
    const id = started.subject;
    await post(started);
    const [row] = await hub.db.query(
      `select aftercare_required, notified_at from aftercare_case where detention_id = $1`,
      [id],
    );
    expect(row.aftercare_required).toBe(false);
    await scheduler.scan(new Date(Date.now() + 21 * DAY));
    const alerts = () =>
      hub.probe
        .about(id, 'coordinator-westland')
        .filter((m) => m.event.type === AftercareEventType.DEADLINE_ALERT)
        .map((m) => m.event.data as { deadline: string; status: string; dueOn: string });
    await hub.probe.waitFor(() => alerts().length === 2);
    expect(alerts()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ deadline: 'municipal-answer', status: 'missed' }),
        {
          detentionId: id,
          deadline: 'screening',
          status: 'missed',
          dueOn: calendar.addWorkingDays(row.notified_at as Date, 10),
        },
      ]),
    );
    const state = await caseOf(id);
    expect((state?.deadlines as { deadline: string }[]).map((d) => d.deadline)).not.toContain(
      'release-readiness',
    );
  });

  it('trims its own messages to narrowed recipient profiles, and logs what it disclosed under which version', async () => {
    // Notified late (an alert at once) and released in 10 days (the warm-handover window is open).
    const started = Events.started(undefined, {
      municipalityOfOrigin: '0363',
      startedAt: new Date(Date.now() - 4 * DAY).toISOString(),
      expectedReleaseDate: isoDay(new Date(Date.now() + 10 * DAY)),
    });
    const id = started.subject;
    await post(started);
    await scheduler.scan(new Date());
    const of = (recipient: string, type: string) =>
      hub.probe.about(id, recipient).filter((m) => m.event.type === type);
    await hub.probe.waitFor(
      () =>
        of('zorg-smal', AftercareEventType.WARM_HANDOVER_DUE).length === 1 &&
        of('coordinator-smal', AftercareEventType.DEADLINE_ALERT).length > 0,
    );
    // zorg-smal may see no dates: the handover says only which detention.
    expect(of('zorg-smal', AftercareEventType.WARM_HANDOVER_DUE)[0].event.data).toEqual({ detentionId: id });
    // coordinator-smal may not see the detention id in data (the subject names the detention).
    expect(of('coordinator-smal', AftercareEventType.DEADLINE_ALERT)[0].event.data).toEqual({
      deadline: 'notification',
      status: 'missed',
      dueOn: calendar.addCalendarDays(new Date(started.data.startedAt), 2),
    });
    // The records commit with the relay's transaction, just after the broker confirmed.
    await hub.waitForCount(
      `select count(*) from disclosure_record where detention_pseudonym = $1 and event_type like 'nl.nazorghub.aftercare.%'`,
      [hub.pseudonym(id)],
      2,
    );
    const records: { recipient_id: string; field_paths: string[]; privacy_profile_version: string }[] =
      await hub.db.query(
        `select recipient_id, field_paths, privacy_profile_version from disclosure_record
         where detention_pseudonym = $1 and event_type like 'nl.nazorghub.aftercare.%' order by recipient_id`,
        [hub.pseudonym(id)],
      );
    expect(records).toEqual([
      {
        recipient_id: 'coordinator-smal',
        field_paths: ['deadline', 'dueOn', 'status'],
        privacy_profile_version: 'contract-v1.0/2026-08+aftercare-v2',
      },
      {
        recipient_id: 'zorg-smal',
        field_paths: ['detentionId'],
        privacy_profile_version: 'contract-v1.0/2026-07+aftercare-v2',
      },
    ]);
  });

  it('alerts on arrival when INJUS notified later than 2 days after the start', async () => {
    const late = Events.started(undefined, {
      municipalityOfOrigin: '0392',
      startedAt: new Date(Date.now() - 4 * DAY).toISOString(),
    });
    const onTime = Events.started(undefined, {
      municipalityOfOrigin: '0392',
      startedAt: new Date(Date.now() - 1 * DAY).toISOString(),
    });
    await post(late, onTime);
    const notificationAlerts = (id: string) =>
      hub.probe
        .about(id, 'coordinator-haarlem')
        .filter((m) => m.event.type === AftercareEventType.DEADLINE_ALERT)
        .map((m) => m.event.data as { deadline: string; status: string });
    await hub.probe.waitFor(() => notificationAlerts(late.subject).length === 1);
    expect(notificationAlerts(late.subject)).toEqual([
      expect.objectContaining({ deadline: 'notification', status: 'missed' }),
    ]);
    expect(notificationAlerts(onTime.subject)).toEqual([]);
  });

  it('reports per tenant and month what coordinators must register, as JSON and CSV', async () => {
    // Started 36 hours ago, so the days to the municipal answer (given now) are 1.5.
    const now = Date.now();
    const startedAt = new Date(now - 36 * 3600_000);
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
    })
      .format(startedAt)
      .slice(0, 7);
    const base = { municipalityOfOrigin: '0344', startedAt: startedAt.toISOString() };
    const a = Events.started(undefined, {
      ...base,
      person: { bsn: '999990044' },
      // The warm-handover window (30 days) opened before the start.
      expectedReleaseDate: isoDay(new Date(now + 10 * DAY)),
    });
    const b = Events.started(undefined, {
      ...base,
      person: { bsn: '999990044' },
      expectedReleaseDate: isoDay(new Date(Date.now() + 120 * DAY)),
    });
    const c = Events.started(undefined, { ...base, person: { bsn: '999990056' }, expectedReleaseDate: null });
    await post(a, b, c);
    await post(Events.screening(a.subject, { identity: { hasValidId: false, documentType: 'none' } }));
    // Released 24 hours ago; care partners heard of it in the warm handover 6 hours before the
    // release, and first after it 12 hours after: that one counts, half a day.
    await post(
      Events.released(a.subject, {
        releasedAt: new Date(now - 24 * 3600_000).toISOString(),
        destinationMunicipality: '0344',
      }),
    );
    await result(a.subject, ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'schuldhulp-rapport', {
      status: 'accepted',
    });
    const hoursAgo = (h: number) => new Date(now - h * 3600_000);
    await result(
      a.subject,
      ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED,
      'zorg-rapport',
      { partners: ['Victas'] },
      hoursAgo(30),
    );
    await result(
      a.subject,
      ConnectorResultType.ZORG_PARTNERS_NOTIFIED,
      'zorg-rapport',
      { partners: ['Victas'] },
      hoursAgo(12),
    );
    await result(a.subject, ConnectorResultType.BRP_REGISTRATION_CHECKED, 'brp-rapport', {
      registered: true,
    });
    await result(a.subject, ConnectorResultType.INCOME_BENEFITS_CHECKED, 'income-rapport', {
      hasBenefit: false,
    });
    await hub.waitForCount(
      `select count(*) from aftercare_case where dpan_answered_at is not null and tenant_id = 'rapport'`,
      [],
      1,
    );
    await hub.waitForCount(
      `select count(*) from aftercare_case where detention_id = $1 and first_care_contact_at is not null`,
      [a.subject],
      1,
    );
    await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [a.subject], 5);
    await hub.app.get(CaseRefreshWorker).drain();

    const json = await get(
      `/api/v1/reports/registration?tenant=rapport&month=${month}`,
      'demo-coordinator-rapport-token',
    );
    expect(json.status).toBe(200);
    const report = JSON.parse(json.text);
    expect(report).toMatchObject({
      tenant: 'rapport',
      month,
      notifications: 3,
      uniquePersons: 2,
      withKnownLength: 2,
      under90Days: 1,
      shareUnder90DaysPercent: 50,
      screened: 1,
      problemsPerCondition: { identity: 1, housing: 1, debts: 1, care: 1, socialNetwork: 1 },
      referralsPerPartner: { schuldhulp: 1, Victas: 1 },
    });
    // Answered within seconds of the results, 36 hours after the start.
    expect(report.medianDaysToMunicipalAnswer).toBe(1.5);
    // Only contacts at or after the release count: not the warm handover before it.
    expect(report.medianDaysReleaseToFirstCareContact).toBe(0.5);
    // What it counts is health-related (care needs, an addiction service): sealed at rest, never in clear.
    const [row] = await hub.db.query(
      `select t::text as clear, conditions_sealed from aftercare_case t where detention_id = $1`,
      [a.subject],
    );
    expect(row.clear).not.toMatch(/Victas|addiction|socialNetwork|debts/);
    expect(await hub.unseal(row.conditions_sealed, 'aftercare_case.conditions', a.subject)).toEqual({
      problems: expect.arrayContaining(['care', 'debts']),
      referrals: expect.arrayContaining(['Victas', 'schuldhulp']),
    });

    const csv = await get(
      `/api/v1/reports/registration?tenant=rapport&month=${month}&format=csv`,
      'demo-operator-token',
    );
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')).toEqual(
      expect.arrayContaining([
        'measure,key,value',
        'notifications,,3',
        'uniquePersons,,2',
        'referralsPerPartner,Victas,1',
      ]),
    );
    // A coordinator reports on its own tenant only; a bad month is a field-level error.
    expect(
      (
        await get(
          `/api/v1/reports/registration?tenant=haarlem&month=${month}`,
          'demo-coordinator-rapport-token',
        )
      ).status,
    ).toBe(403);
    const bad = await get(`/api/v1/reports/registration?tenant=rapport&month=2026-13`, 'demo-operator-token');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).violations).toEqual([{ path: 'month', message: 'must be YYYY-MM' }]);
  });
});
