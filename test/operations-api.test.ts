import { INestApplication } from '@nestjs/common';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { Events, HubHarness } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/** Operations watch every flow without seeing whom it is about; coordinators see their own tenant. */
describe('operations API', () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let url: string;
  const get = (path: string, token?: string) =>
    fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(
      async (r) => ({
        status: r.status,
        contentType: r.headers.get('content-type'),
        text: await r.text(),
      }),
    );
  const post = (path: string, token: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then(
      async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }),
    );

  const eemland = Events.started(undefined, { municipalityOfOrigin: '0307' });
  const westland = Events.started(undefined, { municipalityOfOrigin: '1783' });

  beforeAll(async () => {
    hub = await HubHarness.start();
    ops = await bootstrapOps({ port: 0 });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    await hub.postHttp(eemland);
    await hub.postHttp(westland);
    await hub.postHttp(Events.started(undefined, { person: { bsn: '999990018' } })); // invalid: eleven-test
    await hub.waitForCount(`select count(*) from delivery where published_at is not null`, [], 12);
  });
  afterAll(async () => {
    await ops?.close();
    await hub?.stop();
  });

  it('refuses a missing or wrong credential with 401 problem+json; health needs none', async () => {
    for (const token of [undefined, 'wrong-token-123', 'demo-operator-token-and-more']) {
      const refused = await get('/api/v1/flows', token);
      expect(refused.status).toBe(401);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.text)).toMatchObject({ status: 401 });
    }
    expect((await get('/api/v1/dead-letters')).status).toBe(401);
    expect((await get('/health')).status).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ checks: { database: true, rabbitmq: true } });
  });

  it('shows the operator how many stored values each data key sealed; not to coordinators', async () => {
    const { status, text } = await get('/api/v1/encryption', 'demo-operator-token');
    expect(status).toBe(200);
    const body = JSON.parse(text) as { activeKey: string; sealedValuesByKey: Record<string, number> };
    expect(body.activeKey).toBe('demo-2026');
    expect(Object.keys(body.sealedValuesByKey)).toEqual(['demo-2026']);
    expect(body.sealedValuesByKey['demo-2026']).toBeGreaterThanOrEqual(15);
    expect((await get('/api/v1/encryption', 'demo-coordinator-westland-token')).status).toBe(403);
  });

  it('shows the operator counts per stage for every tenant, and nothing about the people', async () => {
    const { status, text } = await get('/api/v1/flows', 'demo-operator-token');
    expect(status).toBe(200);
    const flows = JSON.parse(text);
    expect(flows.received).toMatchObject({ total: 2, byChannel: { http: 2 } });
    expect(flows.stored).toEqual({ routed: 2, unrouted: 0, awaitingOrigin: 0, withdrawn: 0 });
    expect(flows.rejected).toMatchObject({ open: 1, byChannel: { http: 1 } });
    expect(flows.deliveries['coordinator-eemland-zuid']).toEqual({ published: 1, pending: 0, failing: 0 });
    expect(flows.deliveries['coordinator-westland']).toEqual({ published: 1, pending: 0, failing: 0 });
    expect(flows.deliveries.ops).toEqual({ published: 2, pending: 0, failing: 0 });
    for (const secret of [eemland.subject, westland.subject, '999990019', 'Piet', 'Vries'])
      expect(text).not.toContain(secret);
  });

  it('narrows the flows to a window and, for an operator, to one tenant', async () => {
    const later = JSON.parse(
      (await get(`/api/v1/flows?since=${new Date(Date.now() + 60_000).toISOString()}`, 'demo-operator-token'))
        .text,
    );
    expect(later.received.total).toBe(0);
    expect(later.deliveries).toEqual({});
    const bad = await get('/api/v1/flows?since=yesterday', 'demo-operator-token');
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    const eemlandOnly = JSON.parse(
      (await get('/api/v1/flows?tenant=eemland-zuid', 'demo-operator-token')).text,
    );
    expect(eemlandOnly).toMatchObject({ tenant: 'eemland-zuid', received: { total: 1 }, rejected: null });
    expect((await get('/api/v1/flows?tenant=nowhere', 'demo-operator-token')).status).toBe(400);
  });

  it('shows a coordinator its own tenant only, and no dead letters', async () => {
    const flows = JSON.parse((await get('/api/v1/flows', 'demo-coordinator-westland-token')).text);
    expect(flows.tenant).toBe('westland');
    expect(flows.received.total).toBe(1);
    expect(
      Object.keys(flows.deliveries)
        .filter((r) => r !== 'ops')
        .every((r: string) => r.endsWith('-westland')),
    ).toBe(true);
    expect(flows.deliveries['coordinator-westland']).toEqual({ published: 1, pending: 0, failing: 0 });
    expect(flows.deliveries['coordinator-eemland-zuid']).toBeUndefined();
    expect(flows.rejected).toBeNull();
    // Asking for its own tenant is fine; for another one is forbidden.
    expect(
      JSON.parse((await get('/api/v1/flows?tenant=westland', 'demo-coordinator-westland-token')).text),
    ).toMatchObject({ tenant: 'westland', received: { total: 1 } });
    const other = await get('/api/v1/flows?tenant=eemland-zuid', 'demo-coordinator-westland-token');
    expect(other.status).toBe(403);
    expect(other.contentType).toMatch(/^application\/problem\+json/);
    expect((await get('/api/v1/dead-letters', 'demo-coordinator-westland-token')).status).toBe(403);
    expect(
      (
        await post(
          '/api/v1/dead-letters/00000000-0000-4000-8000-000000000000/replay',
          'demo-coordinator-westland-token',
        )
      ).status,
    ).toBe(403);
  });

  it('lists dead letters with their field-level reasons, never their payload', async () => {
    const { status, text } = await get('/api/v1/dead-letters', 'demo-operator-token');
    expect(status).toBe(200);
    const { items } = JSON.parse(text);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      channel: 'http',
      status: 'open',
      type: 'nl.dji.injus.detention.started.v1',
    });
    expect(items[0].violations.map((v: { path: string }) => v.path)).toContain('$.data.person.bsn');
    expect(Object.keys(items[0]).sort()).toEqual(
      [
        'channel',
        'id',
        'payloadBytes',
        'receivedAt',
        'replayedAt',
        'source',
        'status',
        'type',
        'violations',
      ].sort(),
    );
    for (const v of items[0].violations) expect(Object.keys(v).sort()).toEqual(['message', 'path']);
    for (const secret of ['999990018', '999990019', 'Piet', 'Vries', '1991-04-02'])
      expect(text).not.toContain(secret);
  });

  it('replays a dead letter: still invalid answers 422 and keeps it open; a valid one is ingested once', async () => {
    const { items } = JSON.parse((await get('/api/v1/dead-letters', 'demo-operator-token')).text);
    const invalid = await post(`/api/v1/dead-letters/${items[0].id}/replay`, 'demo-operator-token');
    expect(invalid.status).toBe(422);
    expect((invalid.body.violations as { path: string }[]).map((v) => v.path)).toContain('$.data.person.bsn');
    // A failed replay records no second dead letter; the first one stays open.
    const [{ count }] = await hub.db.query(`select count(*) from dead_letter`);
    expect(Number(count)).toBe(1);
    const [{ status }] = await hub.db.query(`select status from dead_letter where id = $1`, [items[0].id]);
    expect(status).toBe('open');

    // A dead letter that was rejected for a reason since fixed (here: stored valid by hand) replays fine.
    const fixed = Events.started();
    const [{ id }] = await hub.db.query(
      `insert into dead_letter (channel, violations, payload, payload_bytes) values ('kafka', '[]', $1, $2) returning id`,
      [Buffer.from(JSON.stringify(fixed)), JSON.stringify(fixed).length],
    );
    const replayed = await post(`/api/v1/dead-letters/${id}/replay`, 'demo-operator-token');
    expect(replayed).toEqual({ status: 200, body: { id, outcome: 'stored' } });
    await hub.probe.waitFor(() => hub.probe.about(fixed.subject, 'coordinator-eemland-zuid').length === 1);
    expect((await post(`/api/v1/dead-letters/${id}/replay`, 'demo-operator-token')).body.outcome).toBe(
      'duplicate',
    );
    const rows = await hub.db.query(`select channel from inbound_event where event_id = $1`, [fixed.id]);
    expect(rows).toEqual([{ channel: 'replay' }]);
    const [settled] = await hub.db.query(`select status from dead_letter where id = $1`, [id]);
    expect(settled.status).toBe('replayed');
    const flows = JSON.parse((await get('/api/v1/flows', 'demo-operator-token')).text);
    expect(flows.received.byChannel).toMatchObject({ http: 2, replay: 1 });
    expect(flows.rejected).toMatchObject({ open: 1, replayed: 1 });
    const unknown = await post(
      `/api/v1/dead-letters/00000000-0000-4000-8000-000000000000/replay`,
      'demo-operator-token',
    );
    expect(unknown.status).toBe(404);
    expect((await post(`/api/v1/dead-letters/not-a-uuid/replay`, 'demo-operator-token')).status).toBe(404);
  });

  it('lets the coordinator of the tenant query the disclosures about one detention, and no one else', async () => {
    const path = `/api/v1/detentions/${encodeURIComponent(eemland.subject)}/disclosures`;
    await hub.waitForCount(
      `select count(*) from disclosure_record where detention_pseudonym = $1`,
      [hub.pseudonym(eemland.subject)],
      6,
    );
    const own = await get(path, 'demo-coordinator-eemland-zuid-token');
    expect(own.status).toBe(200);
    const { records } = JSON.parse(own.text);
    expect(records.map((r: { recipientId: string }) => r.recipientId).sort()).toEqual(
      ['brp', 'coordinator', 'income', 'schuldhulp', 'zorg']
        .map((k) => `${k}-eemland-zuid`)
        .concat('ops')
        .sort(),
    );
    const brp = records.find((r: { recipientId: string }) => r.recipientId === 'brp-eemland-zuid');
    expect(brp.fieldPaths).toContain('person.bsn');
    expect(brp.fieldPaths).not.toContain('legalStatus');
    expect(brp.legalGround).toMatch(/Wet basisregistratie personen/);
    // Another tenant's coordinator cannot tell it exists; the operator does not get it at all.
    expect((await get(path, 'demo-coordinator-westland-token')).status).toBe(404);
    expect((await get(path, 'demo-operator-token')).status).toBe(403);
    expect((await get(path)).status).toBe(401);
  });

  it('shows operators the keyed hash of every detention in alerts, also of one whose id looks like a hash', async () => {
    // A sender chooses detention ids; within the DJI pattern this one is as hash-like as it gets
    // (the pattern itself keeps out the hub's `p-<hex>` form).
    const lookalike = `DJI-${'0123456789ABCDEF'.repeat(2)}`;
    const started = Events.started(lookalike, {
      municipalityOfOrigin: '0307',
      // Notified four days after the start: the notification deadline is missed on arrival.
      startedAt: new Date(Date.now() - 4 * 86_400_000).toISOString(),
      expectedReleaseDate: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
    });
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.waitForCount(`select count(*) from case_alert where detention_id = $1`, [lookalike], 1);
    const pseudonym = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER).pseudonym(lookalike);

    const operator = await get('/api/v1/alerts', 'demo-operator-token');
    expect(operator.status).toBe(200);
    expect(operator.text).not.toContain(lookalike);
    expect(operator.text).toContain(pseudonym);
    // Its coordinator works with the real id.
    const coordinator = await get('/api/v1/alerts', 'demo-coordinator-eemland-zuid-token');
    expect(coordinator.text).toContain(lookalike);
  });
});
