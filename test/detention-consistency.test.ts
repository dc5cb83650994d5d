import { INestApplication } from '@nestjs/common';
import { ConsistencyMessages } from '@nazorg/ingestion';
import { DEMO_TOKENS, Events, HubHarness, newDetentionId } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * Dates agree with what the hub already knows of the detention (issue 9): a release, screening,
 * transfer or expected release date before the recorded start is refused, whichever arrived first,
 * as a dead letter with a field-level reason that operations see and can replay; nothing of it is
 * stored or routed. HTTP answers 409 problem+json; Kafka and RabbitMQ keep it and move on.
 */
describe('events agree with what is known of their detention', () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let opsUrl: string;
  const operator = { authorization: 'Bearer demo-operator-token' };

  beforeAll(async () => {
    hub = await HubHarness.start();
    ops = await bootstrapOps({ port: 0 });
    opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await ops?.close();
    await hub?.stop();
  });

  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
  const stored = async (eventId: string) =>
    Number(
      (await hub.db.query(`select count(*) from inbound_event where event_id = $1`, [eventId]))[0].count,
    );
  const deadLetterOf = async (eventId: string) =>
    (
      await hub.db.query(`select id, channel, violations, status from dead_letter where event_id = $1`, [
        eventId,
      ])
    )[0] as
      | { id: string; channel: string; violations: { path: string; message: string }[]; status: string }
      | undefined;
  const routedTo = (eventId: string) =>
    hub.probe.received.filter((m) => hub.causedBy(m, eventId)).map((m) => m.recipientId);

  it('refuses a release before the start with 409 (the issue: released 2000-01-01, started today)', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0307', startedAt: hoursAgo(1) });
    expect((await hub.postHttp(started)).status).toBe(202);
    const release = Events.released(started.subject, { releasedAt: '2000-01-01T00:00:00Z' });
    const answer = await hub.postHttp(release);
    expect(answer.status).toBe(409);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      type: 'urn:nazorg-hub:problem:inconsistent-event',
      status: 409,
      violations: [{ path: '$.data.releasedAt', message: ConsistencyMessages.beforeStart }],
    });
    // Not stored, no release date for retention to count from.
    expect(await stored(release.id)).toBe(0);
    const [detention] = await hub.db.query(`select released_at from detention where detention_id = $1`, [
      started.subject,
    ]);
    expect(detention.released_at).toBeNull();
    const deadLetter = await deadLetterOf(release.id);
    expect(deadLetter).toMatchObject({ id: answer.body.deadLetterId, channel: 'http', status: 'open' });

    // Operations see it with its reason, and nothing about the person or the dates.
    const listed = await fetch(`${opsUrl}/api/v1/dead-letters`, { headers: operator });
    const text = await listed.text();
    const item = (JSON.parse(text) as { items: { id: string; violations: unknown[] }[] }).items.find(
      (i) => i.id === deadLetter?.id,
    );
    expect(item?.violations).toEqual([
      { path: '$.data.releasedAt', message: ConsistencyMessages.beforeStart },
    ]);
    for (const secret of [started.subject, '2000-01-01', '999990019']) expect(text).not.toContain(secret);

    // Replaying the same payload is refused again (422) and the dead letter stays open ...
    const replay = await fetch(`${opsUrl}/api/v1/dead-letters/${deadLetter?.id}/replay`, {
      method: 'POST',
      headers: operator,
    });
    expect(replay.status).toBe(422);
    expect(((await replay.json()) as { violations: unknown[] }).violations).toEqual([
      { path: '$.data.releasedAt', message: ConsistencyMessages.beforeStart },
    ]);
    expect((await deadLetterOf(release.id))?.status).toBe('open');
    // ... while the corrected release, resent with a new id, is accepted and routed as usual.
    const corrected = Events.released(started.subject, { releasedAt: new Date().toISOString() });
    expect(await hub.postHttp(corrected)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() => routedTo(corrected.id).includes('coordinator-eemland-zuid'));
    expect(routedTo(release.id)).toEqual([]);
  });

  it('keeps a screening before the start from Kafka as a dead letter; the partition moves on', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '1783', startedAt: hoursAgo(2) });
    const early = { ...Events.screening(started.subject, { screenedAt: hoursAgo(3) }), time: hoursAgo(0.5) };
    const after = Events.transferred(started.subject, { transferredAt: hoursAgo(1) });
    await hub.publishKafka(started);
    await hub.publishKafka(early);
    await hub.publishKafka(after); // same key, same partition: it waits for the screening's outcome
    await hub.probe.waitFor(() => routedTo(after.id).includes('coordinator-westland'));
    expect(await deadLetterOf(early.id)).toMatchObject({
      channel: 'kafka',
      violations: [{ path: '$.data.screenedAt', message: ConsistencyMessages.beforeStart }],
    });
    expect(await stored(early.id)).toBe(0);
    expect(routedTo(early.id)).toEqual([]);
  });

  it('keeps a transfer before the start from RabbitMQ as a dead letter (acked, not retried)', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392', startedAt: hoursAgo(2) });
    expect((await hub.postHttp(started)).status).toBe(202);
    const early = Events.transferred(started.subject, { transferredAt: hoursAgo(26) });
    await hub.publishRabbitmq(early);
    await hub.waitUntil(async () => (await deadLetterOf(early.id)) !== undefined);
    expect(await deadLetterOf(early.id)).toMatchObject({
      channel: 'rabbitmq',
      violations: [{ path: '$.data.transferredAt', message: ConsistencyMessages.beforeStart }],
    });
    expect(await stored(early.id)).toBe(0);
    // Acked: nothing of it waits in the ingress queue or its retry and dead-letter queues.
    const [{ count }] = await hub.db.query(`select count(*) from dead_letter where event_id = $1`, [
      early.id,
    ]);
    expect(Number(count)).toBe(1);
  });

  it('refuses a start arriving after a release it contradicts; a corrected start lets the release through', async () => {
    const id = newDetentionId();
    const release = { ...Events.released(id, { releasedAt: hoursAgo(5) }), time: hoursAgo(5) };
    expect(await hub.postHttp(release)).toMatchObject({ status: 202, body: { routing: 'awaiting-origin' } });
    const late = {
      ...Events.started(id, { municipalityOfOrigin: '0307', startedAt: hoursAgo(4) }),
      time: hoursAgo(4),
    };
    const answer = await hub.postHttp(late);
    expect(answer).toMatchObject({
      status: 409,
      body: {
        violations: [{ path: '$.data.startedAt', message: ConsistencyMessages.startAfter('releasedAt') }],
      },
    });
    expect(await stored(late.id)).toBe(0);
    const [waiting] = await hub.db.query(`select routing_status from inbound_event where event_id = $1`, [
      release.id,
    ]);
    expect(waiting.routing_status).toBe('awaiting-origin');

    const corrected = {
      ...Events.started(id, { municipalityOfOrigin: '0307', startedAt: hoursAgo(30) }),
      time: hoursAgo(3),
    };
    expect(await hub.postHttp(corrected)).toMatchObject({ status: 202, body: { routing: 'routed' } });
    await hub.probe.waitFor(() => routedTo(release.id).includes('coordinator-eemland-zuid'));
    expect(routedTo(late.id)).toEqual([]);
  });

  it('replays a refused screening once a corrected start replaced the wrong one', async () => {
    const wrong = {
      ...Events.started(undefined, { municipalityOfOrigin: '1783', startedAt: hoursAgo(2) }),
      time: hoursAgo(2),
    };
    const id = wrong.subject;
    expect((await hub.postHttp(wrong)).status).toBe(202);
    const screening = { ...Events.screening(id, { screenedAt: hoursAgo(3) }), time: hoursAgo(1) };
    const refused = await hub.postHttp(screening, DEMO_TOKENS.dpan);
    expect(refused.status).toBe(409);
    const corrected = {
      ...Events.started(id, { municipalityOfOrigin: '1783', startedAt: hoursAgo(30) }),
      time: hoursAgo(0.5),
    };
    expect((await hub.postHttp(corrected)).status).toBe(202);
    const replay = await fetch(
      `${opsUrl}/api/v1/dead-letters/${refused.body.deadLetterId as string}/replay`,
      {
        method: 'POST',
        headers: operator,
      },
    );
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: 'stored' });
    expect((await deadLetterOf(screening.id))?.status).toBe('replayed');
    await hub.probe.waitFor(() => routedTo(screening.id).includes('coordinator-westland'));
  });

  it('never refuses a withdrawal, whatever it follows', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392', startedAt: hoursAgo(1) });
    expect((await hub.postHttp(started)).status).toBe(202);
    expect((await hub.postHttp(Events.withdrawn(started.subject))).status).toBe(202);
  });
});
