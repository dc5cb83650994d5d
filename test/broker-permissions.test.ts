import { AppConfig, BrokerIdentity } from '@nazorg/config';
import { Channels, ConnectorResultType } from '@nazorg/contracts';
import { HubExchanges, HubQueues, REASON_HEADER } from '@nazorg/messaging';
import { connect, Message } from 'amqplib';
import { connectorResult, Events, HubHarness, newDetentionId } from './support';

/**
 * Who may publish what on RabbitMQ (docs/adr/0010): each app has its own user with least-privilege
 * permissions, and the hub refuses what a user may not speak for (RabbitMQ validates `user_id`).
 */
describe('broker identities and permissions (RabbitMQ)', () => {
  let hub: HubHarness;
  let config: AppConfig;

  beforeAll(async () => {
    hub = await HubHarness.start({ probe: [] });
    config = hub.app.get(AppConfig);
  });
  afterAll(() => hub?.stop());

  /** Publishes once as `identity` on a raw channel and reports how the broker answered. */
  async function publishAs(
    identity: BrokerIdentity,
    exchange: string,
    routingKey: string,
    body: string,
    userId: string | null = config.amqpUser(identity),
  ): Promise<'confirmed' | string> {
    const model = await connect(config.amqpUrl(identity));
    try {
      const channel = await model.createConfirmChannel();
      const closed = new Promise<string>((resolve) => channel.on('error', (e: Error) => resolve(e.message)));
      const confirmed = new Promise<'confirmed'>((resolve, reject) =>
        channel.publish(
          exchange,
          routingKey,
          Buffer.from(body),
          { userId: userId ?? undefined, persistent: true },
          (error) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve('confirmed'),
        ),
      ).catch(() => 'nack');
      return await Promise.race([confirmed, closed]);
    } finally {
      await model.close().catch(() => undefined);
    }
  }

  async function consumeAs(identity: BrokerIdentity, queue: string): Promise<'consuming' | string> {
    const model = await connect(config.amqpUrl(identity));
    try {
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      return await channel
        .consume(queue, () => undefined)
        .then(
          () => 'consuming',
          (e: Error) => e.message,
        );
    } finally {
      await model.close().catch(() => undefined);
    }
  }

  /** Waits for the next message in `dead.<queue>` and takes it (as the hub's tool login). */
  async function nextDeadLetter(queue: string): Promise<Message> {
    const model = await connect(config.amqpUrl('hub'));
    try {
      const channel = await model.createChannel();
      let msg: Message | false = false;
      await hub.waitUntil(async () => {
        msg = await channel.get(HubQueues.dead(queue), { noAck: true });
        return msg !== false;
      });
      if (!msg) throw new Error(`no dead letter in dead.${queue}`);
      return msg;
    } finally {
      await model.close().catch(() => undefined);
    }
  }

  const reasonOf = (msg: Message) => String(msg.properties.headers?.[REASON_HEADER]);
  const result = (recipientId: string) =>
    JSON.stringify(
      connectorResult(ConnectorResultType.BRP_REGISTRATION_CHECKED, newDetentionId(), recipientId),
    );

  it('refuses a connector user publishing feed events or deliveries (access refused)', async () => {
    const event = JSON.stringify(Events.started());
    expect(await publishAs('connector-zorg', Channels.RABBITMQ_INGRESS_EXCHANGE, 'x', event)).toMatch(
      /ACCESS_REFUSED.*injus\.events/,
    );
    expect(await publishAs('connector-zorg', Channels.DELIVERIES_EXCHANGE, 'zorg-westland', event)).toMatch(
      /ACCESS_REFUSED.*hub\.deliveries/,
    );
    // Nor retry copies into another recipient's queue (topic permission on the routing key).
    expect(await publishAs('connector-zorg', HubExchanges.RETRY, 'recipient.brp-westland', event)).toMatch(
      /ACCESS_REFUSED/,
    );
  });

  it("refuses a connector reading another recipient's queue, and lets it read its own", async () => {
    expect(await consumeAs('connector-zorg', Channels.recipientQueue('brp-westland'))).toMatch(
      /ACCESS_REFUSED/,
    );
    expect(await consumeAs('connector-zorg', Channels.recipientQueue('zorg-westland'))).toBe('consuming');
  });

  it('refuses a feed user publishing deliveries', async () => {
    expect(await publishAs('feed-injus', Channels.DELIVERIES_EXCHANGE, 'brp-westland', '{}')).toMatch(
      /ACCESS_REFUSED/,
    );
  });

  it('refuses a forged user_id at the broker', async () => {
    const forged = await publishAs(
      'connector-zorg',
      Channels.RESULTS_EXCHANGE,
      'x',
      result('brp-westland'),
      config.amqpUser('connector-brp'),
    );
    expect(forged).toMatch(/PRECONDITION_FAILED.*user_id/);
  });

  it('keeps a feed event from a user that may not speak for its source as a dead letter, never stored', async () => {
    const screening = Events.screening(newDetentionId());
    await hub.publishRabbitmq(screening, undefined, 'feed-injus');
    const dead = await nextDeadLetter(HubQueues.INGRESS);
    expect(JSON.parse(dead.content.toString()).id).toBe(screening.id);
    expect(reasonOf(dead)).toMatch(/nazorg-feed-injus may not speak for the event's source/);
    const [{ count }] = await hub.db.query('select count(*) from inbound_event');
    expect(Number(count)).toBe(0);
  });

  it('refuses a feed event without user_id', async () => {
    const started = Events.started();
    expect(
      await publishAs(
        'feed-injus',
        Channels.RABBITMQ_INGRESS_EXCHANGE,
        started.type,
        JSON.stringify(started),
        null,
      ),
    ).toBe('confirmed');
    const dead = await nextDeadLetter(HubQueues.INGRESS);
    expect(reasonOf(dead)).toBe('feed event without a validated publisher (user_id)');
  });

  it('stores a feed event from the user of its source', async () => {
    const started = Events.started();
    await hub.publishRabbitmq(started);
    const stored = await hub.waitForCount(
      'select count(*) from inbound_event where event_id = $1',
      [started.id],
      1,
    );
    expect(stored).toBe(1);
  });

  it("refuses a result from another recipient's connector or without user_id, kept as a dead letter", async () => {
    const forged = result('brp-westland');
    expect(await publishAs('connector-zorg', Channels.RESULTS_EXCHANGE, 'r', forged)).toBe('confirmed');
    const anonymous = result('brp-westland');
    expect(await publishAs('connector-brp', Channels.RESULTS_EXCHANGE, 'r', anonymous, null)).toBe(
      'confirmed',
    );
    // Kept in the dead-letter store (channel results) with the reason, acknowledged, never stored.
    await hub.waitForCount(`select count(*) from dead_letter where channel = 'results'`, [], 2);
    const rows: { event_id: string; violations: unknown }[] = await hub.db.query(
      `select event_id, violations from dead_letter where channel = 'results'`,
    );
    const reasons = Object.fromEntries(rows.map((r) => [r.event_id, r.violations]));
    expect(reasons[JSON.parse(forged).id]).toEqual([
      { path: 'user_id', message: 'publisher nazorg-connector-zorg is not the brp connector' },
    ]);
    expect(reasons[JSON.parse(anonymous).id]).toEqual([
      { path: 'user_id', message: 'result without a validated publisher (user_id)' },
    ]);
    // The right connector passes this check (and is then refused only for lack of a delivery).
    expect(await publishAs('connector-brp', Channels.RESULTS_EXCHANGE, 'r', result('brp-westland'))).toBe(
      'confirmed',
    );
    expect(reasonOf(await nextDeadLetter(HubQueues.RESULTS))).toBe(
      'no delivery to this recipient about this detention',
    );
    const [{ count }] = await hub.db.query('select count(*) from connector_result');
    expect(Number(count)).toBe(0);
  });
});
