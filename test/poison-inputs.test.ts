import { randomUUID } from 'node:crypto';
import { Channels, CloudEvent, ConnectorResultType, FeedSource } from '@nazorg/contracts';
import { AmqpConnection, HubQueues, kafkaDeadLetterTopic, REASON_HEADER } from '@nazorg/messaging';
import { connectorResult, Events, HubHarness } from '@nazorg/testing';

/**
 * Issue 9: nothing is retried for ever because of its content, on any channel, and good traffic
 * behind a poison input keeps flowing. The poison here is real to the hub: a database trigger
 * refuses the event (as PostgreSQL refuses a value it cannot hold), and for an "unparkable" one
 * also refuses its dead letter, so the parking path itself fails; a result carries a NUL byte,
 * which PostgreSQL refuses in text and jsonb. Each ends as a dead letter within
 * INGRESS_CONTENT_FAILURE_ATTEMPTS attempts, whatever attempt count its publisher claims.
 */
describe('poison inputs on Kafka, RabbitMQ ingress and hub.results', () => {
  let hub: HubHarness;
  const ATTEMPTS = 3;

  beforeAll(async () => {
    hub = await HubHarness.start({
      env: { INGRESS_CONTENT_FAILURE_ATTEMPTS: String(ATTEMPTS), DELIVERY_RETRY_BASE_MS: '50' },
    });
    await hub.db.query(`
      create or replace function test_refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.event_id like 'poison-%' then raise exception 'refused by the test'; end if;
        return new;
      end $$`);
    for (const table of ['inbound_event', 'dead_letter']) {
      await hub.db.query(`drop trigger if exists test_refuse_poison on ${table}`);
    }
    await hub.db.query(
      `create trigger test_refuse_poison before insert on inbound_event
       for each row execute function test_refuse_poison()`,
    );
    // The dead letter of an "unparkable" poison is refused too: parking itself fails on the input.
    await hub.db.query(
      `create or replace function test_refuse_unparkable() returns trigger language plpgsql as $$
       begin
         if new.event_id like 'poison-unparkable-%' then raise exception 'refused by the test'; end if;
         return new;
       end $$`,
    );
    await hub.db.query(`drop trigger if exists test_refuse_unparkable on dead_letter`);
    await hub.db.query(
      `create trigger test_refuse_unparkable before insert on dead_letter
       for each row execute function test_refuse_unparkable()`,
    );
  });
  afterAll(async () => {
    await hub?.db.query(`drop trigger if exists test_refuse_poison on inbound_event`);
    await hub?.db.query(`drop trigger if exists test_refuse_unparkable on dead_letter`);
    await hub?.db.query(`drop trigger if exists test_refuse_poison_result on connector_result`);
    await hub?.db.query(`drop function if exists test_refuse_poison_result()`);
    await hub?.db.query(`drop function if exists test_refuse_poison()`);
    await hub?.db.query(`drop function if exists test_refuse_unparkable()`);
    await hub?.stop();
  });

  const stored = (id: string) =>
    hub.waitForCount(`select count(*) from inbound_event where event_id = $1`, [id], 1, 30000);
  const parkedOf = async (id: string) =>
    (await hub.db.query(`select channel, violations from dead_letter where event_id = $1`, [id])) as {
      channel: string;
      violations: { path: string; message: string }[];
    }[];
  // As the feed user of the event's source (RabbitMQ validates it; docs/adr/0010).
  const publishRabbitmq = (event: CloudEvent<object>, headers?: Record<string, string>) =>
    hub.publisherAs(event.source === FeedSource.DPAN ? 'feed-dpan' : 'feed-injus').publish({
      exchange: Channels.RABBITMQ_INGRESS_EXCHANGE,
      routingKey: event.type,
      body: JSON.stringify(event),
      messageId: event.id,
      contentType: 'application/cloudevents+json',
      headers,
    });
  /** Takes every message now in `dead.<queue>`: body and reason. */
  const takeDead = async (queue: string) => {
    const channel = await (await hub.app.get(AmqpConnection).currentModel()).createChannel();
    const taken: { body: string; reason: string }[] = [];
    try {
      for (;;) {
        const msg = await channel.get(HubQueues.dead(queue), { noAck: true });
        if (!msg) break;
        taken.push({
          body: msg.content.toString('utf8'),
          reason: String(msg.properties.headers?.[REASON_HEADER]),
        });
      }
    } finally {
      await channel.close();
    }
    return taken;
  };
  const waitDead = async (queue: string, id: string) => {
    const seen: { body: string; reason: string }[] = [];
    await hub.waitUntil(async () => {
      seen.push(...(await takeDead(queue)));
      return seen.some((m) => m.body.includes(id));
    }, 30000);
    return seen.filter((m) => m.body.includes(id));
  };

  it.each([
    ['without an attempt count', undefined],
    ['with a forged count of 999', { 'x-nazorg-attempt': '999' }],
    ['with a forged negative count', { 'x-nazorg-attempt': '-1000000' }],
  ])(
    'RabbitMQ ingress: a poison event %s is parked after the configured attempts',
    async (_what, headers) => {
      const poison = { ...Events.started(), id: `poison-${randomUUID()}` };
      const next = Events.started();
      await publishRabbitmq(poison, headers);
      await publishRabbitmq(next);
      expect(await stored(next.id)).toBe(1);
      await hub.waitForCount(`select count(*) from dead_letter where event_id = $1`, [poison.id], 1, 30000);
      expect(await parkedOf(poison.id)).toEqual([
        {
          channel: 'rabbitmq',
          violations: [
            {
              path: '$',
              message: `could not be stored after ${ATTEMPTS} attempts (QueryFailedError); kept for replay`,
            },
          ],
        },
      ]);
    },
  );

  it('RabbitMQ ingress: a poison event that cannot even be parked goes to dead.<queue> with its reason', async () => {
    const poison = { ...Events.started(), id: `poison-unparkable-${randomUUID()}` };
    const next = Events.started();
    await publishRabbitmq(poison);
    await publishRabbitmq(next);
    expect(await stored(next.id)).toBe(1);
    const dead = await waitDead(HubQueues.INGRESS, poison.id);
    expect(dead.map((d) => d.reason)).toEqual([
      `could not be stored after ${ATTEMPTS} attempts (QueryFailedError), nor kept as a dead letter (QueryFailedError)`,
    ]);
    expect(await parkedOf(poison.id)).toEqual([]);
  });

  it('Kafka: a poison record that cannot even be parked goes to the dead-letter topic, and its partition moves on', async () => {
    const deadTopic = await hub.listenKafka(kafkaDeadLetterTopic(Channels.KAFKA_INGRESS_TOPIC));
    try {
      const poison = { ...Events.started(), id: `poison-unparkable-${randomUUID()}` };
      const next = Events.started();
      // One key: the same partition, so `next` is stored only once the poison record is passed.
      await hub.publishKafka(poison, poison.subject);
      await hub.publishKafka(next, poison.subject);
      expect(await stored(next.id)).toBe(1);
      await hub.waitUntil(async () => deadTopic.received.some((e) => e.id === poison.id), 30000);
      expect(deadTopic.received.filter((e) => e.id === poison.id)).toHaveLength(1);
      expect(await parkedOf(poison.id)).toEqual([]);
    } finally {
      await deadTopic.stop();
    }
  });

  it('hub.results: a result PostgreSQL refuses is dead-lettered after the configured attempts; the next is stored', async () => {
    const started = Events.started();
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.waitForCount(`select count(*) from delivery where detention_id = $1`, [started.subject], 1);
    const [{ recipient_id: recipientId }] = await hub.db.query(
      `select recipient_id from delivery where detention_id = $1 and recipient_id like 'brp-%' limit 1`,
      [started.subject],
    );
    // Both valid by the result schemas (the validator refuses a NUL or missing details before any
    // SQL); the poison is the one a trigger makes PostgreSQL refuse, every time.
    const result = () =>
      connectorResult(ConnectorResultType.BRP_REGISTRATION_CHECKED, started.subject, recipientId);
    const poison = result();
    const good = result();
    await hub.db.query(
      `create or replace function test_refuse_poison_result() returns trigger language plpgsql as $$
       begin
         if new.event_id = '${poison.id}' then raise exception 'refused by the test'; end if;
         return new;
       end $$`,
    );
    await hub.db.query(`drop trigger if exists test_refuse_poison_result on connector_result`);
    await hub.db.query(
      `create trigger test_refuse_poison_result before insert on connector_result
       for each row execute function test_refuse_poison_result()`,
    );
    for (const r of [poison, good]) {
      // As the BRP connector, the only user that may report on a BRP recipient.
      await hub.publisherAs('connector-brp').publish({
        exchange: Channels.RESULTS_EXCHANGE,
        routingKey: r.type,
        body: JSON.stringify(r),
        messageId: r.id,
        // Forged: the hub's own count decides, not this header.
        headers: { 'x-nazorg-attempt': '-1000000' },
      });
    }
    expect(
      await hub.waitForCount(`select count(*) from connector_result where event_id = $1`, [good.id], 1),
    ).toBe(1);
    const dead = await waitDead(HubQueues.RESULTS, poison.id);
    expect(dead).toHaveLength(1);
    expect(dead[0].reason).toBe(
      `gave up after ${ATTEMPTS} attempts (content): handler failed: QueryFailedError`,
    );
  });
});
