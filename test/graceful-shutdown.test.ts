import { randomUUID } from 'node:crypto';
import { IntakeGate } from '@nazorg/ingestion';
import { HubQueues } from '@nazorg/messaging';
import { eventually, Events, HubHarness, testKafka } from '@nazorg/testing';
import { connect } from 'amqplib';
import { DataSource } from 'typeorm';

/**
 * A graceful stop (SIGTERM runs app.close() through Nest's shutdown hooks; ADR 0019): intake stops
 * first (HTTP 503 + Retry-After, readiness 503 while liveness stays 200), the consumers stop, the
 * messages in hand finish or go back to their queue unacked, the Kafka consumer leaves its group,
 * and a hub started afterwards finishes the rest: nothing lost, nothing stored twice.
 */
describe('graceful shutdown of the hub', () => {
  const started: HubHarness[] = [];
  afterAll(async () => {
    for (const hub of started) await hub.stop().catch(() => undefined);
  });

  it('answers 503 to new ingest and not-ready once intake closes, while it stays live', async () => {
    const hub = await HubHarness.start({ probe: [] });
    started.push(hub);
    const ready = await fetch(`${hub.url}/health/ready`);
    expect(ready.status).toBe(200);

    // What the beforeApplicationShutdown hook does first on SIGTERM.
    hub.app.get(IntakeGate).beforeApplicationShutdown();
    const refused = await hub.postHttp(Events.started());
    expect(refused.status).toBe(503);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:nazorg-hub:problem:stopping', status: 503 });
    const response = await fetch(`${hub.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', authorization: 'Bearer demo-injus-token' },
      body: JSON.stringify(Events.started()),
    });
    expect(response.headers.get('retry-after')).toBe('5');

    const notReady = await fetch(`${hub.url}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      checks: { database: true, rabbitmq: true, kafka: true, components: false },
      error: { components: { status: 'down', 'http-intake': false } },
    });
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    await hub.stop();
    started.splice(started.indexOf(hub), 1);
  });

  it('returns unfinished RabbitMQ messages to their queue, leaves the Kafka group, and the next hub finishes', async () => {
    // No time to finish what is in hand: everything unfinished goes back.
    const hub = await HubHarness.start({ probe: [], env: { SHUTDOWN_DRAIN_MS: '0' } });
    started.push(hub);
    const removeSlowdown = await slowInserts(hub.db);
    const events = Array.from({ length: 60 }, () => ({ ...Events.started(), id: `slow-${randomUUID()}` }));
    try {
      for (const event of events) await hub.publishRabbitmq(event);
      const stored = () =>
        storedCount(
          hub.db,
          events.map((e) => e.id),
        );
      await eventually(async () => (await stored()) > 0, 20000, 'the first slow event stored');

      await hub.stop();
      started.splice(started.indexOf(hub), 1);
    } finally {
      await removeSlowdown(process.env.DATABASE_URL as string);
    }

    // Unfinished ones are back in the queue, not lost and not acked.
    const tool = await connect(process.env.TEST_AMQP_TOOL_URL as string);
    const channel = await tool.createChannel();
    const { messageCount, consumerCount } = await channel.checkQueue(HubQueues.INGRESS);
    await tool.close();
    expect(consumerCount).toBe(0);
    expect(messageCount).toBeGreaterThan(0);

    // The consumer left the group instead of holding its partitions for a session timeout.
    const kafka = testKafka('hub');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([process.env.KAFKA_GROUP_ID as string]);
      expect(groups[0].members).toEqual([]);
    } finally {
      await admin.disconnect();
    }

    const next = await HubHarness.start({ probe: [], beside: true });
    started.push(next);
    const ids = events.map((e) => e.id);
    await eventually(
      async () => (await storedCount(next.db, ids)) === ids.length,
      30000,
      'every event stored',
    );
    const twice: unknown[] = await next.db.query(
      `select event_id from inbound_event where event_id = any($1) group by event_id having count(*) > 1`,
      [ids],
    );
    expect(twice).toEqual([]);
  });
});

async function storedCount(db: DataSource, ids: string[]): Promise<number> {
  const [{ n }] = await db.query(`select count(*) as n from inbound_event where event_id = any($1)`, [ids]);
  return Number(n);
}

/** Every insert of a `slow-` event takes half a second: the hub has work in hand when it stops. */
async function slowInserts(db: DataSource): Promise<(databaseUrl: string) => Promise<void>> {
  await db.query(`
    create or replace function test_slow_insert() returns trigger language plpgsql as $$
    begin
      if new.event_id like 'slow-%' then perform pg_sleep(0.5); end if;
      return new;
    end $$`);
  await db.query(`drop trigger if exists test_slow_insert on inbound_event`);
  await db.query(
    `create trigger test_slow_insert before insert on inbound_event for each row execute function test_slow_insert()`,
  );
  return async (databaseUrl) => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop trigger if exists test_slow_insert on inbound_event`);
    await client.end();
  };
}
