import { AppConfig } from '@nazorg/config';
import { DEMO_TOKENS, Events, HubHarness } from '@nazorg/testing';

/**
 * Rotating the pseudonym key keeps erased detentions erased (issue 13, ADR 0023): a hub restarted
 * with a new PSEUDONYM_KEY and the old one in PSEUDONYM_PREVIOUS_KEYS still finds the trace an
 * erasure left under the old key, so the chain re-sending the erased detention's events reaches no
 * one. The same restart without the previous key does not know the detention any more (which is
 * why the procedure keeps the old key for the longest retention period).
 */
describe('pseudonym key rotation', () => {
  let hub: HubHarness | undefined;
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  it('keeps an erased detention erased across a rotation, and only with the previous key', async () => {
    hub = await HubHarness.start();
    const oldKey = hub.app.get(AppConfig).PSEUDONYM_KEY;
    const started = Events.started(undefined, { municipalityOfOrigin: '0392' });
    const id = started.subject;
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.probe.waitFor(() => hub!.probe.about(id, 'coordinator-haarlem').length === 1);
    expect((await hub.postHttp(Events.withdrawn(id))).status).toBe(202);
    await hub.waitForCount(`select count(*) from detention where erased_at is not null`, [], 1);
    await hub.stop();

    const rotated = { PSEUDONYM_KEY: 'a-new-pseudonym-key-after-rotation' };
    hub = await HubHarness.start({ keepData: true, env: { ...rotated, PSEUDONYM_PREVIOUS_KEYS: oldKey } });
    // The start sent again: the same event, a duplicate of the erased one, not a new notification.
    expect((await hub.postHttp(started)).status).toBe(202);
    // A screening the chain sent late: kept inert, reaching no one.
    const late = Events.screening(id);
    expect(await hub.postHttp(late, DEMO_TOKENS.dpan)).toMatchObject({
      status: 202,
      body: { routing: 'withdrawn' },
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(hub.probe.about(id, 'coordinator-haarlem')).toEqual([]);
    expect(await hub.db.query(`select 1 from detention where detention_id = $1`, [id])).toEqual([]);
    await hub.stop();

    // Without the previous key the hub cannot tell: the re-sent start opens the detention again.
    hub = await HubHarness.start({ keepData: true, env: rotated });
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.probe.waitFor(() => hub!.probe.about(id, 'coordinator-haarlem').length === 1);
  });
});
