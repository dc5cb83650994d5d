import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Channels } from '@nazorg/contracts';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { Events, HubHarness, OutputCapture } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * A valid feed event that the hub cannot store, again and again, while everything else can (a
 * poison record: here a database trigger refuses it). Kafka retries in place, so without care it
 * would hold up its partition forever. The hub parks it as a dead letter after
 * INGRESS_CONTENT_FAILURE_ATTEMPTS, the partition moves on, and once the cause is gone the operator
 * replays it.
 */
describe('a poison record on Kafka', () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let opsUrl: string;

  const output = new OutputCapture();

  beforeAll(async () => {
    output.start();
    hub = await HubHarness.start({ env: { INGRESS_CONTENT_FAILURE_ATTEMPTS: '3' } });
    ops = await bootstrapOps({ port: 0 });
    opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    await hub.db.query(`
      create or replace function test_refuse_poison() returns trigger language plpgsql as $$
      begin
        -- Quotes the row, as database errors quote the values they fail on.
        if new.event_id like 'poison-%' then raise exception 'refused by the test: %', new.detention_id; end if;
        return new;
      end $$`);
    await hub.db.query(`drop trigger if exists test_refuse_poison on inbound_event`);
    await hub.db.query(
      `create trigger test_refuse_poison before insert on inbound_event
       for each row execute function test_refuse_poison()`,
    );
  });
  afterAll(async () => {
    await hub?.db.query(`drop trigger if exists test_refuse_poison on inbound_event`);
    await hub?.db.query(`drop function if exists test_refuse_poison()`);
    await ops?.close();
    await hub?.stop();
    output.stop();
  });

  it('is parked as a replayable dead letter after the configured attempts, and the partition moves on', async () => {
    const poison = { ...Events.started(), id: `poison-${randomUUID()}` };
    const next = Events.started();
    // One key: the same partition, so `next` can only be stored once the poison record is passed.
    const key = poison.subject;
    await hub.publishKafka(poison, key);
    await hub.publishKafka(next, key);

    await hub.waitForCount(`select count(*) from inbound_event where event_id = $1`, [next.id], 1, 30000);
    const parked: { id: string; channel: string; violations: { path: string; message: string }[] }[] =
      await hub.db.query(`select id, channel, violations from dead_letter where event_id = $1`, [poison.id]);
    expect(parked).toHaveLength(1);
    expect(parked[0].channel).toBe('kafka');
    expect(parked[0].violations).toEqual([
      { path: '$', message: 'could not be stored after 3 attempts (QueryFailedError); kept for replay' },
    ]);
    const [{ count: stored }] = await hub.db.query(`select count(*) from inbound_event where event_id = $1`, [
      poison.id,
    ]);
    expect(Number(stored)).toBe(0);

    // Operators see it without its content, and can replay it once the cause is fixed.
    const auth = { authorization: 'Bearer demo-operator-token' };
    const listed = await (await fetch(`${opsUrl}/api/v1/dead-letters`, { headers: auth })).text();
    expect(listed).toContain(parked[0].id);
    expect(listed).not.toMatch(/999990019|Piet|Vries|1991-04-02|refused by the test/);
    // The flow counts show the channel's parked input, and since when.
    const flows = (await (await fetch(`${opsUrl}/api/v1/flows`, { headers: auth })).json()) as {
      rejected: { parked: Record<string, { open: number; firstAt: string; lastAt: string }> };
    };
    expect(flows.rejected.parked.kafka).toMatchObject({ open: 1 });
    expect(Date.parse(flows.rejected.parked.kafka.lastAt)).not.toBeNaN();

    const refused = await fetch(`${opsUrl}/api/v1/dead-letters/${parked[0].id}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    await hub.db.query(`drop trigger test_refuse_poison on inbound_event`);
    const replayed = await fetch(`${opsUrl}/api/v1/dead-letters/${parked[0].id}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(await replayed.json()).toEqual({ id: parked[0].id, outcome: 'stored' });
    const [{ count }] = await hub.db.query(`select count(*) from inbound_event where event_id = $1`, [
      poison.id,
    ]);
    expect(Number(count)).toBe(1);

    // Every failure above was logged (by the Kafka adapter, the database logger and the HTTP
    // handler of the refused replay), and none of those lines names the detention or the person.
    const logText = output.text();
    expect(logText).toContain('SQLSTATE P0001');
    expect(logText).toContain('request failed');
    const person = poison.data.person;
    const leaks = [poison.subject, person.bsn, person.familyName, person.birthDate].filter((secret) =>
      logText.includes(secret),
    );
    expect(leaks).toEqual([]);
  });

  it('in a batch of records stored in one transaction fails only itself: the good records around it are stored once', async () => {
    await hub.db.query(`drop trigger if exists test_refuse_poison on inbound_event`);
    await hub.db.query(
      `create trigger test_refuse_poison before insert on inbound_event
       for each row execute function test_refuse_poison()`,
    );
    const key = `DJI-BATCH-${randomUUID().slice(0, 8).toUpperCase()}`;
    const before = [Events.started(), Events.started()];
    const poison = { ...Events.started(), id: `poison-${randomUUID()}` };
    const after = [Events.started(), Events.started()];
    // One produce call, one key: one partition, fetched and stored as one batch (ADR 0022).
    await hub.app.get<EventLogPort>(EVENT_LOG).publish(
      Channels.KAFKA_INGRESS_TOPIC,
      [...before, poison, ...after].map((e) => ({ key, value: JSON.stringify(e) })),
    );
    const good = [...before, ...after].map((e) => e.id);
    await hub.waitForCount(`select count(*) from inbound_event where event_id = any($1)`, [good], 4, 30000);
    await hub.waitForCount(`select count(*) from dead_letter where event_id = $1`, [poison.id], 1, 30000);
    const stored: { event_id: string; n: number }[] = await hub.db.query(
      `select event_id, count(*)::int n from inbound_event where event_id = any($1) group by event_id`,
      [[...good, poison.id]],
    );
    expect(stored.sort((a, b) => a.event_id.localeCompare(b.event_id))).toEqual(
      good.map((event_id) => ({ event_id, n: 1 })).sort((a, b) => a.event_id.localeCompare(b.event_id)),
    );
    // Each good one routed (its deliveries written), none of the poison's.
    const [{ routed }] = await hub.db.query(
      `select count(*)::int routed from inbound_event where event_id = any($1) and routing_status = 'routed'`,
      [good],
    );
    expect(routed).toBe(4);
    await hub.db.query(`drop trigger test_refuse_poison on inbound_event`);
  });
});
