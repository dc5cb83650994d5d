import { Channels, CloudEvent, ConnectorResultType } from '@nazorg/contracts';
import { INestApplication } from '@nestjs/common';
import { Events, HubHarness, newDetentionId } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * Hostile input (issue 9, limits before meaning, plausible facts, strict results): each row is
 * refused with a field-level reason and kept as a dead letter, never a 5xx, never retried for
 * ever; a valid event right behind it on the same channel (same Kafka key) flows as usual.
 */
type Row = [name: string, make: (detentionId: string) => string, path: RegExp];

const withField = (detentionId: string, key: string, raw: string) =>
  JSON.stringify(Events.started(detentionId)).replace('"flags":', `"${key}":${raw},"flags":`);

const ROWS: Row[] = [
  [
    '5,000 nested arrays',
    (id) => withField(id, 'x', `${'['.repeat(5000)}${']'.repeat(5000)}`),
    /^\$\.data\.x(\[0\])+$/,
  ],
  [
    'a lone surrogate as id',
    (id) => JSON.stringify({ ...Events.started(id), id: 'PLACEHOLDER' }).replace('PLACEHOLDER', '\\ud800'),
    /^\$\.id$/,
  ],
  [
    'detentionId ".."',
    () => {
      const e = Events.started('DJI-2026-000001');
      return JSON.stringify({ ...e, subject: '..', data: { ...e.data, detentionId: '..' } });
    },
    /^\$\.data\.detentionId$/,
  ],
  [
    'time 9999-12-31',
    (id) => JSON.stringify({ ...Events.started(id), time: '9999-12-31T00:00:00Z' }),
    /^\$\.time$/,
  ],
  [
    'a duplicate key',
    (id) =>
      JSON.stringify(Events.started(id)).replace('"specversion":"1.0"', '"specversion":"1.0","id":"x-1"'),
    /^\$\.id$/,
  ],
];

describe('hostile input (real services)', () => {
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
  const operator = { authorization: 'Bearer demo-operator-token' };

  const deadLetters = async (
    channel: string,
  ): Promise<{ violations: { path: string; message: string }[] }[]> =>
    hub.db.query(`select violations from dead_letter where channel = $1 order by received_at`, [channel]);

  it.each(ROWS)(
    'HTTP: %s answers 400 problem+json with a field-level reason, kept as a dead letter',
    async (_, make, path) => {
      const response = await hub.postHttp(make(newDetentionId()));
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      const violations = response.body.violations as { path: string; message: string }[];
      expect(violations.some((v) => path.test(v.path))).toBe(true);
      const rows = await hub.db.query(`select channel, violations from dead_letter where id = $1`, [
        response.body.deadLetterId,
      ]);
      expect(rows[0].channel).toBe('http');
      // A valid event right behind it is stored and delivered.
      const valid = Events.started();
      expect((await hub.postHttp(valid)).status).toBe(202);
      await hub.probe.waitFor(() => hub.probe.about(valid.subject, 'coordinator-eemland-zuid').length === 1);
    },
  );

  it('HTTP: a body that is not JSON by content type is refused with 415 and kept', async () => {
    const res = await fetch(`${hub.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-injus-token', 'content-type': 'text/plain' },
      body: JSON.stringify(Events.started()),
    });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { violations: { path: string }[]; deadLetterId: string };
    expect(body.violations[0].path).toBe('$');
    expect(await hub.db.query(`select 1 from dead_letter where id = $1`, [body.deadLetterId])).toHaveLength(
      1,
    );
  });

  it.each([['kafka'], ['rabbitmq']])(
    '%s: every hostile row is a dead letter with a field-level reason, and the event behind it on the same key flows',
    async (channel) => {
      const key = newDetentionId();
      for (const [, make] of ROWS) {
        const text = make(key);
        if (channel === 'kafka') await hub.publishKafka(text, key);
        else await hub.publishRabbitmq(text, 'nl.dji.injus.detention.started.v1');
      }
      const valid = Events.started(key);
      if (channel === 'kafka') await hub.publishKafka(valid, key);
      else await hub.publishRabbitmq(valid);
      await hub.probe.waitFor(() => hub.probe.about(key, 'coordinator-eemland-zuid').length === 1);
      await hub.waitForCount(`select count(*) from dead_letter where channel = $1`, [channel], ROWS.length);
      const rows = await deadLetters(channel);
      expect(rows).toHaveLength(ROWS.length);
      // Order is the broker's (RabbitMQ consumes several at once): each row's reason is among them.
      for (const [, , path] of ROWS) {
        expect(rows.some((r) => r.violations.some((v) => path.test(v.path)))).toBe(true);
      }
    },
  );

  it('hub.results: numeric time, details null, recipient ops, another kind: dead letters, never in connector_result; a valid result is stored', async () => {
    const started = Events.started();
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.probe.waitFor(() => hub.probe.about(started.subject, 'brp-eemland-zuid').length === 1);
    const delivery = hub.probe.about(started.subject, 'brp-eemland-zuid')[0].event;
    const result = (
      over: Record<string, unknown> = {},
      data: Record<string, unknown> = {},
    ): CloudEvent<object> => ({
      specversion: '1.0',
      id: `result-${Math.random().toString(36).slice(2)}`,
      source: 'urn:nl:nazorg-hub/connectors/brp',
      type: ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED,
      time: new Date().toISOString(),
      subject: started.subject,
      datacontenttype: 'application/json',
      causationid: delivery.id,
      data: {
        detentionId: started.subject,
        recipientId: 'brp-eemland-zuid',
        outcome: 'completed',
        details: {
          hasAddressAfterRelease: true,
          addressCheck: 'registered-at-address',
          postalAddressNeeded: false,
        },
        ...data,
      },
      ...over,
    });
    // As the BRP connector (RabbitMQ validates the user; docs/adr/0010).
    const publisher = hub.publisherAs('connector-brp');
    const publish = (event: CloudEvent<object>) =>
      publisher.publish({
        exchange: Channels.RESULTS_EXCHANGE,
        routingKey: event.type,
        body: JSON.stringify(event),
      });
    const hostile: [CloudEvent<object>, string][] = [
      [result({ time: Date.now() }, { details: null, recipientId: 'ops' }), '$.time'],
      [result({ time: 1764000000 }, { details: null }), '$.data.details'],
      [result({}, { recipientId: 'ops' }), '$.type'],
      [result({}, { recipientId: 'nobody' }), '$.data.recipientId'],
      [
        result(
          {
            source: 'urn:nl:nazorg-hub/connectors/zorg',
            type: ConnectorResultType.ZORG_SUPERVISION_REGISTERED,
          },
          { details: { supervisingOrganisation: 'x', trajectId: null } },
        ),
        '$.type',
      ],
    ];
    for (const [event] of hostile) await publish(event);
    const valid = result();
    await publish(valid);
    await hub.waitForCount(`select count(*) from connector_result where event_id = $1`, [valid.id], 1);
    await hub.waitForCount(`select count(*) from dead_letter where channel = 'results'`, [], hostile.length);
    const stored = await hub.db.query(`select event_id from connector_result where detention_id = $1`, [
      started.subject,
    ]);
    expect(stored.map((r: { event_id: string }) => r.event_id)).toEqual([valid.id]);
    const rows = await hub.db.query(
      `select event_id, violations from dead_letter where channel = 'results' order by received_at`,
    );
    for (const [event, path] of hostile) {
      const row = rows.find((r: { event_id: string }) => r.event_id === event.id);
      expect(row.violations.map((v: { path: string }) => v.path)).toContain(path);
    }

    // Operations see them with their reasons; a replay goes through result validation again (422 with
    // the result's own violations, not the feed's), and the dead letter stays open.
    const listed = (await fetch(`${opsUrl}/api/v1/dead-letters`, { headers: operator }).then((r) =>
      r.json(),
    )) as {
      items: { id: string; channel: string; violations: { path: string }[] }[];
    };
    const ofResults = listed.items.filter((i) => i.channel === 'results');
    expect(ofResults).toHaveLength(hostile.length);
    const nullDetails = ofResults.find((i) => i.violations.some((v) => v.path === '$.data.details'));
    const replay = await fetch(`${opsUrl}/api/v1/dead-letters/${nullDetails?.id}/replay`, {
      method: 'POST',
      headers: operator,
    });
    expect(replay.status).toBe(422);
    const problem = (await replay.json()) as { violations: { path: string }[] };
    expect(problem.violations.map((v) => v.path)).toContain('$.data.details');
  });
});
