import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
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
});
