import { ConnectorResultType, HUB_SOURCE } from '@nazorg/contracts';
import { AmqpDeadLetters, HubQueues } from '@nazorg/messaging';
import { connectorResult, Events, HubHarness } from '@nazorg/testing';

/**
 * Hostile input at the HTTP ingress: injection strings in every text field are stored and
 * delivered inert (as data, byte for byte), prototype-pollution keys do nothing, and credentials
 * are checked before anything is read.
 */
const INJECTIONS = [
  "Robert'); DROP TABLE inbound_event;--",
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '\u202e\u200b',
  '../../etc/passwd',
];

describe('API security (real services)', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start({ probe: ['coordinator-eemland-zuid'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it.each(INJECTIONS)('stores and delivers %j in every text field as inert data', async (evil) => {
    const started = Events.started(undefined, {
      person: { givenNames: evil, familyName: evil, familyNamePrefix: evil },
      institution: { code: 'PI-X', name: evil },
      caseManager: { name: evil, phone: evil, email: evil },
      supervision: { organisation: evil },
    });
    const response = await hub.postHttp(started);
    expect(response.status).toBe(202);
    await hub.probe.waitFor(() => hub.probe.about(started.subject, 'coordinator-eemland-zuid').length === 1);
    const [delivered] = hub.probe.about(started.subject, 'coordinator-eemland-zuid');
    expect(delivered.event.data).toMatchObject({
      person: { givenNames: evil, familyName: evil },
      caseManager: { name: evil, phone: evil, email: evil },
    });
    const [{ count }] = await hub.db.query(`select count(*) from inbound_event`);
    expect(Number(count)).toBeGreaterThan(0); // the table is still there
  });

  it('refuses a NUL character (which PostgreSQL cannot store) with a field-level 400, and keeps the event', async () => {
    const started = Events.started(undefined, { person: { givenNames: 'A\u0000B' } });
    const response = await hub.postHttp(started);
    expect(response.status).toBe(400);
    expect(response.body.violations).toEqual([
      { path: '$.data.person.givenNames', message: 'must not contain the NUL character (U+0000)' },
    ]);
    const rows = await hub.db.query(`select channel from dead_letter where id = $1`, [
      response.body.deadLetterId,
    ]);
    expect(rows).toEqual([{ channel: 'http' }]);
  });

  it('refuses prototype-pollution keys by path, before anything assigns them (ADR 0015)', async () => {
    const started = Events.started();
    const body = JSON.stringify(started).replace(
      '"data":{',
      '"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    const response = await hub.postHttp(body);
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((response.body.violations as { path: string }[]).map((v) => v.path)).toEqual([
      '$.data.__proto__',
      '$.data.constructor',
      '$.data.constructor.prototype',
    ]);
    const rows = await hub.db.query(`select channel from dead_letter where id = $1`, [
      response.body.deadLetterId,
    ]);
    expect(rows).toEqual([{ channel: 'http' }]);
  });

  it('answers 401 before reading an oversized body, and 400 (kept) for one it can read', async () => {
    const big = 'x'.repeat(300 * 1024);
    expect((await hub.postHttp(big, null)).status).toBe(401);
    // Larger than the parser would ever read (it refuses those with 413): still 401 first.
    const huge = 'x'.repeat(3 * 1024 * 1024);
    expect((await hub.postHttp(huge, null)).status).toBe(401);
    expect((await hub.postHttp(huge, 'wrong-token-123')).status).toBe(401);
    expect((await hub.postHttp(huge)).status).toBe(413);
    const withToken = await hub.postHttp(big);
    expect(withToken.status).toBe(400);
    expect(withToken.body.violations).toEqual([expect.objectContaining({ path: '$' })]);
  });

  it('does not accept a token in another form than Bearer, nor a prefix of a valid token', async () => {
    const e = Events.started();
    for (const token of ['demo-injus-toke', 'demo-injus-token-x', 'DEMO-INJUS-TOKEN']) {
      expect((await hub.postHttp(e, token)).status).toBe(401);
    }
  });

  it("stores a connector result only as the answer to the hub's own delivery, under that delivery's tenant", async () => {
    const westland = Events.started(undefined, { municipalityOfOrigin: '1783' });
    expect((await hub.postHttp(westland)).status).toBe(202);
    const deadLetters = () => hub.app.get(AmqpDeadLetters).count(HubQueues.RESULTS);
    const before = await deadLetters();
    const publish = (id: string, recipientId: string, tenant: string) =>
      hub.publisherAs('connector-brp').publish({
        exchange: 'hub.results',
        routingKey: ConnectorResultType.BRP_REGISTRATION_CHECKED,
        body: JSON.stringify({
          specversion: '1.0',
          id,
          source: `${HUB_SOURCE}/connectors/brp`,
          type: ConnectorResultType.BRP_REGISTRATION_CHECKED,
          time: new Date().toISOString(),
          subject: westland.subject,
          tenant,
          data: {
            detentionId: westland.subject,
            recipientId,
            outcome: 'completed',
            details: connectorResult(
              ConnectorResultType.BRP_REGISTRATION_CHECKED,
              westland.subject,
              recipientId,
            ).data.details,
          },
        }),
      });
    // Forged: another tenant's recipient, which never heard of this detention.
    await publish('forged-result-1', 'brp-haarlem', 'haarlem');
    // Genuine recipient, but claiming another tenant: stored under the delivery's tenant.
    await publish('misclaimed-result-1', 'brp-westland', 'haarlem');
    await hub.waitForCount(
      `select count(*) from connector_result where event_id = 'misclaimed-result-1'`,
      [],
      1,
    );
    const stored: { event_id: string; tenant_id: string }[] = await hub.db.query(
      `select event_id, tenant_id from connector_result where event_id in ('forged-result-1', 'misclaimed-result-1')`,
    );
    expect(stored).toEqual([{ event_id: 'misclaimed-result-1', tenant_id: 'westland' }]);
    await hub.waitUntil(async () => (await deadLetters()) > before);
    expect(await deadLetters()).toBe(before + 1);
  });
});
