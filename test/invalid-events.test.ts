import { Events, HubHarness } from '@nazorg/testing';

/**
 * Bad input gets a clear, field-level error and is never lost: HTTP answers 400 problem+json listing
 * each violation by JSON path; from Kafka and RabbitMQ it lands in the dead-letter table with its
 * reasons, and the pipeline goes on with the next event.
 */
const badBsn = () => Events.started(undefined, { person: { bsn: '999990018' } });
const unknownType = () => ({ ...Events.started(), type: 'nl.dji.injus.detention.teleported.v1' });
const missingField = () => {
  const e = Events.started();
  delete (e.data as Partial<typeof e.data>).institution;
  return e;
};
const brokenJson = () => '{"specversion":"1.0","id":"x", "data": {';
const oversized = () => {
  const e = Events.started();
  return JSON.stringify({ ...e, data: { ...e.data, padding: 'x'.repeat(300 * 1024) } });
};

const CASES: [string, () => object | string, string[]][] = [
  ['a bad BSN', badBsn, ['$.data.person.bsn']],
  ['an unknown type', unknownType, ['$.type']],
  ['a missing field', missingField, ['$.data.institution']],
  ['broken JSON', brokenJson, ['$']],
  ['a body over 256 KiB', oversized, ['$']],
];

describe('invalid events (real services)', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it.each(CASES)(
    'HTTP: %s answers 400 problem+json naming each violation, and is kept',
    async (_, make, paths) => {
      const body = make();
      const response = await hub.postHttp(typeof body === 'string' ? body : JSON.stringify(body));
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, title: 'Invalid event' });
      const violations = response.body.violations as { path: string; message: string }[];
      expect(violations.map((v) => v.path)).toEqual(expect.arrayContaining(paths));
      for (const v of violations) expect(v.message.length).toBeGreaterThan(3);
      // The error never echoes personal data back.
      expect(JSON.stringify(response.body)).not.toMatch(/999990018|Piet|Vries|1991-04-02/);
      const rows = await hub.db.query(
        `select channel, violations, payload_bytes from dead_letter where id = $1`,
        [response.body.deadLetterId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].channel).toBe('http');
      expect(rows[0].payload_bytes).toBe(
        Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body)),
      );
    },
  );

  it('HTTP: every violation of one event is listed, not just the first', async () => {
    const e = Events.started(undefined, {
      person: { bsn: '12345', gender: 'Q' as 'M' },
      municipalityOfOrigin: '307',
    });
    const response = await hub.postHttp(e);
    const paths = (response.body.violations as { path: string }[]).map((v) => v.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.data.person.bsn', '$.data.person.gender', '$.data.municipalityOfOrigin']),
    );
  });

  it.each([
    ['Kafka', 'kafka'],
    ['RabbitMQ', 'rabbitmq'],
  ])(
    '%s: each invalid event lands in the dead-letter table with its reason, and the pipeline goes on',
    async (_, channel) => {
      const before = Number(
        (await hub.db.query(`select count(*) from dead_letter where channel = $1`, [channel]))[0].count,
      );
      for (const [, make] of CASES) {
        const body = make();
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        if (channel === 'kafka') await hub.publishKafka(text, 'some-key');
        else await hub.publishRabbitmq(text, 'nl.dji.injus.detention.started.v1');
      }
      const valid = Events.started();
      if (channel === 'kafka') await hub.publishKafka(valid);
      else await hub.publishRabbitmq(valid);
      await hub.probe.waitFor(() => hub.probe.about(valid.subject, 'coordinator-eemland-zuid').length === 1);
      const count = await hub.waitForCount(
        `select count(*) from dead_letter where channel = $1`,
        [channel],
        before + CASES.length,
      );
      expect(count).toBe(before + CASES.length);
      const rows: { violations: { path: string }[] }[] = await hub.db.query(
        `select violations from dead_letter where channel = $1 order by received_at desc limit $2`,
        [channel, CASES.length],
      );
      const allPaths = rows.flatMap((r) => r.violations.map((v) => v.path));
      for (const [, , paths] of CASES) expect(allPaths).toEqual(expect.arrayContaining(paths));
    },
  );

  it('HTTP authentication: none or a wrong token is 401, a token of another source is 403, and nothing is stored', async () => {
    const e = Events.started();
    expect((await hub.postHttp(e, null)).status).toBe(401);
    expect((await hub.postHttp(e, 'not-a-real-token')).status).toBe(401);
    const wrongSource = await hub.postHttp(e, 'demo-dpan-token');
    expect(wrongSource.status).toBe(403);
    expect(wrongSource.contentType).toContain('application/problem+json');
    const [{ count }] = await hub.db.query(`select count(*) from inbound_event where event_id = $1`, [e.id]);
    expect(Number(count)).toBe(0);
    const screening = Events.screening(e.subject);
    expect((await hub.postHttp(screening, 'demo-dpan-token')).status).toBe(202);
  });
});
