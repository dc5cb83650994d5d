import { Channels } from '@nazorg/contracts';
import { HubQueues } from '@nazorg/messaging';
import { Events, HubHarness } from '@nazorg/testing';
import { connect } from 'amqplib';
import { Client } from 'pg';

/**
 * CONTRACT section 5: the hub declares its exchanges and queues itself at start-up. Deliveries that
 * wait in the outbox when the hub starts must find their queues on the first attempt, also on a
 * broker that has never seen them (publishes are mandatory: a missing queue is a failed attempt).
 */
describe('a hub starting on a broker without its recipient queues', () => {
  let hub: HubHarness | undefined;
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  it('declares them before the outbox relay publishes what was waiting', async () => {
    hub = await HubHarness.start({ probe: [] });
    const started = Events.started();
    expect((await hub.postHttp(started)).status).toBe(202);
    const countPublished = `select count(*) from delivery where published_at is not null`;
    const [{ count }] = await hub.db.query(`select count(*) from delivery`);
    const total = Number(count);
    expect(total).toBeGreaterThan(1);
    expect(await hub.waitForCount(countPublished, [], total)).toBe(total);
    const recipients: string[] = (
      await hub.db.query(
        `select distinct recipient_id as id from delivery where channel->>'type' = 'rabbitmq'`,
      )
    ).map((r: { id: string }) => r.id);
    expect(recipients.length).toBeGreaterThan(1);
    await hub.stop();
    hub = undefined;

    // As if the broker were new and the hub had stored these deliveries but not yet published them.
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query(`update delivery set published_at = null, publish_attempts = 0, last_error = null`);
    await db.end();
    const amqp = await connect(process.env.AMQP_URL as string);
    const channel = await amqp.createChannel();
    for (const id of recipients) {
      const queue = Channels.recipientQueue(id);
      for (const q of [queue, HubQueues.dead(queue), HubQueues.retry(queue)]) await channel.deleteQueue(q);
    }
    await amqp.close();

    hub = await HubHarness.start({ probe: [], keepData: true });
    expect(await hub.waitForCount(countPublished, [], total)).toBe(total);
    const attempts: { attempts: number; error: string | null }[] = await hub.db.query(
      `select publish_attempts as attempts, last_error as error from delivery`,
    );
    expect(attempts.filter((a) => a.attempts !== 1 || a.error !== null)).toEqual([]);
  });
});
