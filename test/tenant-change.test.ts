import { INestApplication } from '@nestjs/common';
import { CloudEvent, DetentionEventType } from '@nazorg/contracts';
import { ConsistencyMessages } from '@nazorg/ingestion';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DEMO_TOKENS, Events, HubHarness } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * A detention's tenant does not silently change (issue 9, ADR 0014). A later start naming another
 * tenant's municipality is refused as a dead letter; the chain corrects it by a withdrawal (which
 * tells the old tenant's recipients and erases) and a new start, which begins clean in the new
 * tenant. Both tenants' coordinators and recipients are checked at every step.
 */
describe("a detention's tenant does not silently change", () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let opsUrl: string;

  beforeAll(async () => {
    hub = await HubHarness.start();
    ops = await bootstrapOps({ port: 0 });
    opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await ops?.close();
    await hub?.stop();
  });

  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const sentAt = <T extends CloudEvent<object>>(event: T, minutesAgo: number): T => ({
    ...event,
    time: at(minutesAgo),
  });
  const caseOf = async (detentionId: string, tenant: string) => {
    const res = await fetch(`${opsUrl}/api/v1/detentions/${encodeURIComponent(detentionId)}/case`, {
      headers: { authorization: `Bearer demo-coordinator-${tenant}-token` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Waits for the case projection (asynchronous) to show what `holds` expects. */
  const waitForCase = async (
    detentionId: string,
    tenant: string,
    holds: (c: { status: number; body: Record<string, unknown> }) => boolean,
  ) => {
    await hub.waitUntil(async () => holds(await caseOf(detentionId, tenant)), 15000);
    return caseOf(detentionId, tenant);
  };
  const tenantRecipients = (tenant: string) =>
    ['brp', 'income', 'schuldhulp', 'zorg', 'coordinator'].map((kind) => `${kind}-${tenant}`);
  const receivedBy = (tenant: string, subject: string) =>
    hub.probe.about(subject).filter((m) => tenantRecipients(tenant).includes(m.recipientId));

  it('refuses a second start naming another tenant; after a withdrawal a new start begins clean there', async () => {
    const first = sentAt(
      Events.started(undefined, {
        municipalityOfOrigin: '0307',
        startedAt: at(120),
        person: { bsn: '999993653', givenNames: 'Eerste', familyName: 'Eemlander' },
      }),
      120,
    );
    const id = first.subject;
    const screening = sentAt(Events.screening(id, { screenedAt: at(90) }), 90);
    expect((await hub.postHttp(first)).status).toBe(202);
    expect((await hub.postHttp(screening, DEMO_TOKENS.dpan)).status).toBe(202);
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-eemland-zuid').length === 2);

    // The conflicting start: refused, kept for operations, stored and routed nowhere.
    const conflicting = sentAt(Events.started(id, { municipalityOfOrigin: '1783', startedAt: at(120) }), 60);
    const refused = await hub.postHttp(conflicting);
    expect(refused).toMatchObject({
      status: 409,
      body: {
        violations: [{ path: '$.data.municipalityOfOrigin', message: ConsistencyMessages.otherTenant }],
      },
    });
    const [deadLetter] = await hub.db.query(`select violations from dead_letter where event_id = $1`, [
      conflicting.id,
    ]);
    expect(deadLetter.violations).toEqual([
      { path: '$.data.municipalityOfOrigin', message: ConsistencyMessages.otherTenant },
    ]);
    const [detention] = await hub.db.query(`select tenant_id from detention where detention_id = $1`, [id]);
    expect(detention.tenant_id).toBe('eemland-zuid');

    // Tenant A's coordinator still reads the case, screening included; tenant B's sees nothing.
    const caseA = await waitForCase(id, 'eemland-zuid', (c) => c.status === 200 && !!c.body.screenedAt);
    expect(caseA).toMatchObject({ status: 200, body: { detentionId: id, bsn: '999993653' } });
    expect((await caseOf(id, 'westland')).status).toBe(404);
    expect(receivedBy('westland', id)).toEqual([]);

    // The chain corrects: a withdrawal, which reaches everyone who heard of it in tenant A ...
    const withdrawal = sentAt(Events.withdrawn(id), 30);
    expect((await hub.postHttp(withdrawal)).status).toBe(202);
    await hub.probe.waitFor(() =>
      tenantRecipients('eemland-zuid').every((r) =>
        hub.probe.received.some((m) => m.recipientId === r && hub.causedBy(m, withdrawal.id)),
      ),
    );
    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(id);
    await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym],
      1,
    );
    expect((await caseOf(id, 'eemland-zuid')).status).toBe(404);

    // ... and a new start, sent after it, which begins clean in tenant B.
    const renewed = sentAt(
      Events.started(id, {
        municipalityOfOrigin: '1783',
        startedAt: at(120),
        person: { bsn: '999990019', givenNames: 'Tweede', familyName: 'Westlander' },
      }),
      10,
    );
    expect(await hub.postHttp(renewed)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-westland').length === 1);
    const caseB = await waitForCase(id, 'westland', (c) => c.status === 200);
    expect(caseB.body).toMatchObject({
      detentionId: id,
      bsn: '999990019',
      status: 'detained',
      screenedAt: null,
      conditions: {},
    });
    expect((await caseOf(id, 'eemland-zuid')).status).toBe(404);
    // B's recipients heard only of the new start; A's nothing of it.
    expect(receivedBy('westland', id).every((m) => hub.causedBy(m, renewed.id))).toBe(true);
    expect(
      hub.probe.received.filter((m) => m.recipientId !== 'ops' && hub.causedBy(m, renewed.id)),
    ).not.toEqual([]);
    expect(receivedBy('eemland-zuid', id).some((m) => hub.causedBy(m, renewed.id))).toBe(false);
    // Nothing of A's notification is left in the hub.
    expect(await hub.personalDataLeftovers(['999993653', 'Eerste', 'Eemlander'])).toEqual([]);

    // The refused start was about the withdrawn notification: the erasure purged it (ADR 0007),
    // its event id with it (ADR 0024): found only by the keyed hash it was filed under.
    expect(
      await hub.db.query(`select status, payload from dead_letter where event_id = $1`, [conflicting.id]),
    ).toEqual([]);
    const filed = await hub.db.query(
      `select status, payload, event_id, violations from dead_letter where subject_pseudonym = $1`,
      [hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(id)],
    );
    expect(filed).toEqual([{ status: 'purged', payload: null, event_id: null, violations: [] }]);
    // A late event the chain sent before the withdrawal belongs to it too: kept inert.
    const stale = sentAt(Events.releaseScheduled(id), 45);
    expect(await hub.postHttp(stale)).toMatchObject({ status: 202, body: { routing: 'withdrawn' } });
    expect(hub.probe.received.filter((m) => hub.causedBy(m, stale.id))).toEqual([]);

    // The new notification can be withdrawn and erased in turn (its trace joins the old one's).
    const second = Events.withdrawn(id);
    expect((await hub.postHttp(second)).status).toBe(202);
    await hub.probe.waitFor(() =>
      hub.probe.received.some((m) => m.recipientId === 'coordinator-westland' && hub.causedBy(m, second.id)),
    );
    const live = async () =>
      Number((await hub.db.query(`select count(*) from detention where detention_id = $1`, [id]))[0].count);
    await hub.waitUntil(async () => (await live()) === 0);
    expect(await live()).toBe(0);
    await hub.waitUntil(
      async () => (await hub.personalDataLeftovers(['999990019', 'Tweede', 'Westlander'])).length === 0,
    );
    expect(await hub.personalDataLeftovers([id, '999990019', 'Tweede', 'Westlander'])).toEqual([]);
    const trace = await hub.db.query(
      `select erased_at is not null as erased, superseded_at from detention where detention_id = $1`,
      [pseudonym],
    );
    expect(trace).toEqual([{ erased: true, superseded_at: null }]);
    expect(receivedBy('eemland-zuid', id).some((m) => hub.causedBy(m, second.id))).toBe(false);
  });

  it('answers 503 to a new start while the withdrawal still goes out, and accepts it once it is erased', async () => {
    const first = sentAt(
      Events.started(undefined, { municipalityOfOrigin: '0307', startedAt: at(120) }),
      120,
    );
    const id = first.subject;
    expect((await hub.postHttp(first)).status).toBe(202);
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-eemland-zuid').length === 1);
    // A delivery about it that cannot go out yet (as to a recipient that is down) holds up the erasure.
    await hub.db.query(
      `insert into delivery (id, inbound_event_id, recipient_id, recipient_kind, tenant_id, detention_id, channel,
                             exchange, routing_key, message, message_sealed, key_id, disclosed_paths,
                             privacy_profile_version, next_attempt_at)
       select gen_random_uuid(), inbound_event_id, recipient_id, recipient_kind, tenant_id, detention_id, channel,
              exchange, routing_key, message, message_sealed, key_id, disclosed_paths, privacy_profile_version,
              now() + interval '1 day'
       from delivery where detention_id = $1 limit 1`,
      [id],
    );
    expect((await hub.postHttp(sentAt(Events.withdrawn(id), 30))).status).toBe(202);
    const renewed = sentAt(Events.started(id, { municipalityOfOrigin: '1783', startedAt: at(120) }), 10);
    const early = await hub.postHttp(renewed);
    expect(early).toMatchObject({
      status: 503,
      body: {
        type: 'urn:nazorg-hub:problem:withdrawal-pending',
        violations: [{ path: '$', message: ConsistencyMessages.withdrawalPending }],
      },
    });
    // Nothing kept: a dead letter would be purged by the very erasure it waits for.
    const kept = async (table: string) =>
      Number(
        (await hub.db.query(`select count(*) from ${table} where event_id = $1`, [renewed.id]))[0].count,
      );
    expect(await kept('inbound_event')).toBe(0);
    expect(await kept('dead_letter')).toBe(0);

    await hub.db.query(`delete from delivery where detention_id = $1 and published_at is null`, [id]);
    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(id);
    await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym],
      1,
    );
    expect(await hub.postHttp(renewed)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-westland').length === 1);
  });

  it('accepts a second start within the same tenant (another municipality of the region)', async () => {
    const first = sentAt(Events.started(undefined, { municipalityOfOrigin: '0307', startedAt: at(60) }), 60);
    const id = first.subject;
    expect((await hub.postHttp(first)).status).toBe(202);
    const moved = sentAt(Events.started(id, { municipalityOfOrigin: '0327', startedAt: at(60) }), 30);
    expect(await hub.postHttp(moved)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    const [detention] = await hub.db.query(
      `select tenant_id, municipality_of_origin from detention where detention_id = $1`,
      [id],
    );
    expect(detention).toEqual({ tenant_id: 'eemland-zuid', municipality_of_origin: '0327' });
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-eemland-zuid').length === 2);
  });

  it('gives a detention no tenant had its first tenant, with what it stored so far (not the start it corrects)', async () => {
    const unrouted = sentAt(
      Events.started(undefined, { municipalityOfOrigin: '0344', startedAt: at(60) }),
      60,
    );
    const id = unrouted.subject;
    expect(await hub.postHttp(unrouted)).toMatchObject({ status: 202, body: { routing: 'unrouted' } });
    const screening = sentAt(Events.screening(id, { screenedAt: at(50) }), 50);
    expect(await hub.postHttp(screening, DEMO_TOKENS.dpan)).toMatchObject({ body: { routing: 'unrouted' } });
    const routed = sentAt(Events.started(id, { municipalityOfOrigin: '0392', startedAt: at(60) }), 40);
    expect(await hub.postHttp(routed)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() =>
      hub.probe.received.some(
        (m) => m.recipientId === 'coordinator-haarlem' && hub.causedBy(m, screening.id),
      ),
    );
    expect(hub.probe.received.filter((m) => hub.causedBy(m, unrouted.id))).toEqual([]);
    expect(
      hub.probe
        .about(id, 'coordinator-haarlem')
        .map((m) => m.event.type)
        .sort(),
    ).toEqual([DetentionEventType.DETENTION_STARTED, DetentionEventType.SCREENING_COMPLETED].sort());
    const caseHaarlem = await waitForCase(id, 'haarlem', (c) => c.status === 200 && !!c.body.screenedAt);
    expect(caseHaarlem.status).toBe(200);
    // Once a tenant has it, it does not go back to none.
    const none = sentAt(Events.started(id, { municipalityOfOrigin: '0344', startedAt: at(60) }), 30);
    expect((await hub.postHttp(none)).status).toBe(409);
  });

  it("still sends a release to the destination tenant's coordinator (CONTRACT), without giving it the case", async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0307', startedAt: at(60) });
    const id = started.subject;
    expect((await hub.postHttp(started)).status).toBe(202);
    const release = Events.released(id, {
      releasedAt: new Date().toISOString(),
      destinationMunicipality: '1783',
    });
    expect(await hub.postHttp(release)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-westland').length === 1);
    expect(hub.probe.about(id, 'brp-westland')).toEqual([]);
    await waitForCase(id, 'eemland-zuid', (c) => c.status === 200 && !!c.body.releasedAt);
    expect((await caseOf(id, 'westland')).status).toBe(404);
  });
});
