import { Events, HubHarness } from '@nazorg/testing';

/**
 * A delivery whose sealed message does not open (damaged, or copied to another row, which the row
 * binding of ADR 0026 refuses) used to make the relay's whole claim throw, again each time its
 * lease ran out: the rows claimed with it waited for their leases too, and with many such rows
 * (the bench's onboarding copies) nothing went out any more. Now that row is parked with the
 * error's class (shown to operations with the parked deliveries) and the rest go.
 */
describe('the outbox relay and a row whose message does not open', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start({ probe: [] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('parks that row and delivers the others', async () => {
    const first = Events.started();
    expect((await hub.postHttp(first)).status).toBe(202);
    const published = `select count(*) from delivery where detention_id = $1 and published_at is not null`;
    const [{ count }] = await hub.db.query(`select count(*) from delivery where detention_id = $1`, [
      first.subject,
    ]);
    expect(Number(count)).toBeGreaterThan(1);
    expect(await hub.waitForCount(published, [first.subject], Number(count))).toBe(Number(count));

    // A copy of one delivery under a new id: its message is sealed for the original's row.
    const copied: { id: string }[] = await hub.db.query(
      `insert into delivery (id, inbound_event_id, recipient_id, recipient_kind, tenant_id, detention_id,
                             channel, exchange, routing_key, message, disclosed_paths, message_sealed, key_id,
                             privacy_profile_version)
       select gen_random_uuid(), inbound_event_id, recipient_id, recipient_kind, tenant_id, detention_id,
              channel, exchange, routing_key, message, disclosed_paths, message_sealed, key_id,
              privacy_profile_version
       from delivery where detention_id = $1 and message_sealed is not null limit 1
       returning id`,
      [first.subject],
    );
    expect(copied).toHaveLength(1);

    const second = Events.started();
    expect((await hub.postHttp(second)).status).toBe(202);
    const [{ count: expected }] = await hub.db.query(
      `select count(*) from delivery where detention_id = $1`,
      [second.subject],
    );
    expect(await hub.waitForCount(published, [second.subject], Number(expected))).toBe(Number(expected));

    const [parked] = await hub.db.query(
      `select published_at, parked_at, last_error from delivery where id = $1`,
      [copied[0].id],
    );
    expect(parked.published_at).toBeNull();
    expect(parked.parked_at).not.toBeNull();
    // The error's class only: nothing of the message or the person.
    expect(parked.last_error).toBe('sealed message does not open: Error');
  });
});
