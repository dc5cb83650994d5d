import { AppConfig, TenantsFile } from '@nazorg/config';
import { DetentionEventType } from '@nazorg/contracts';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { RetentionPurgeService } from '@nazorg/retention';
import { DEMO_TOKENS, Events, HubHarness, writeTenantsFile } from '@nazorg/testing';

/**
 * Retention per tenant: personal data is purged once aftercare (after release) plus the tenant's
 * retention period have passed. Westland is configured short here (30 + 30 days), Haarlem keeps
 * the national defaults (91 + 365 days). The purge's clock is a parameter, so the test moves time.
 */
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe('retention purges personal data per tenant policy', () => {
  let hub: HubHarness;
  let purge: RetentionPurgeService;
  let pseudonym: (id: string) => string;

  beforeAll(async () => {
    const tenantsFile = writeTenantsFile((file) => {
      const westland = file.tenants.find((t) => t.id === 'westland')!;
      westland.policy = { ...westland.policy, aftercareDays: 30, retentionDaysAfterAftercare: 30 };
    });
    hub = await HubHarness.start({ env: { TENANTS_FILE: tenantsFile } });
    purge = hub.app.get(RetentionPurgeService);
    const pseudonymizer = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER);
    pseudonym = (id) => pseudonymizer.pseudonym(id);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** A detention of `municipality` with a person whose BSN and name the test can look for. */
  async function detention(municipality: string, bsn: string, releasedDaysAgo?: number) {
    const started = Events.started(undefined, {
      municipalityOfOrigin: municipality,
      person: { bsn, familyName: `Bewaar${bsn}` },
      // A release must not lie before its start (issue 9): a released one started well before.
      ...(releasedDaysAgo !== undefined ? { startedAt: daysAgo(releasedDaysAgo + 30) } : {}),
    });
    await hub.postHttp(started);
    if (releasedDaysAgo !== undefined) {
      await hub.postHttp(
        Events.released(started.subject, {
          releasedAt: daysAgo(releasedDaysAgo),
          destinationMunicipality: municipality,
        }),
      );
    }
    return { id: started.subject, secrets: [started.subject, bsn, `Bewaar${bsn}`] };
  }

  async function erased(id: string): Promise<boolean> {
    const rows: { reason: string }[] = await hub.db.query(
      `select erasure_reason as reason from detention where detention_id = $1 and erased_at is not null`,
      [pseudonym(id)],
    );
    return rows[0]?.reason === 'retention';
  }

  it('erases what is past its tenant retention, keeps the rest, and leaves a pseudonymised trace', async () => {
    const westlandOld = await detention('1783', '999990019', 100); // 100 > 30 + 30
    const westlandRecent = await detention('1783', '999990020', 10);
    const westlandInside = await detention('1783', '999990032'); // not released: aftercare not begun
    const haarlemOld = await detention('0392', '999990044', 100); // 100 < 91 + 365
    await hub.waitForCount(`select count(*) from delivery where published_at is not null`, [], 1);
    await hub.waitForCount(`select count(*) from delivery where published_at is null`, [], 0);
    // The release itself (an old start also brings a missed-notification alert).
    const releaseReached = (id: string, recipient: string) =>
      hub.probe.about(id, recipient).some((m) => m.event.type === DetentionEventType.DETENTION_RELEASED);
    await hub.probe.waitFor(() => releaseReached(haarlemOld.id, 'coordinator-haarlem'));
    await hub.probe.waitFor(() => releaseReached(westlandOld.id, 'coordinator-westland'));
    // The data is there before the purge (so the checks below can fail).
    expect((await hub.personalDataLeftovers(westlandOld.secrets)).length).toBeGreaterThan(0);

    const first = await purge.purgeExpired(new Date());
    expect(first.detentions).toBe(1);
    expect(await erased(westlandOld.id)).toBe(true);
    expect(await hub.personalDataLeftovers(westlandOld.secrets)).toEqual([]);
    for (const kept of [westlandRecent, westlandInside, haarlemOld]) {
      expect(await erased(kept.id)).toBe(false);
      expect((await hub.personalDataLeftovers(kept.secrets)).length).toBeGreaterThan(0);
    }
    // The disclosure log keeps its entries, under the pseudonym only.
    const [{ count }] = await hub.db.query(
      `select count(*) from disclosure_record where detention_pseudonym = $1`,
      [pseudonym(westlandOld.id)],
    );
    expect(Number(count)).toBeGreaterThan(0);

    // A year on, the national default catches up with Haarlem; an unreleased detention stays.
    const later = await purge.purgeExpired(new Date(Date.now() + 400 * DAY));
    expect(later.detentions).toBe(2);
    expect(await erased(haarlemOld.id)).toBe(true);
    expect(await erased(westlandRecent.id)).toBe(true);
    expect(await erased(westlandInside.id)).toBe(false);
    expect(await hub.personalDataLeftovers([...haarlemOld.secrets, ...westlandRecent.secrets])).toEqual([]);
  });

  it('erases detentions of no tenant that were never released, counting from their last event', async () => {
    // An unknown municipality (stored, routed to no one) and a screening whose start never came.
    const unrouted = await detention('0999', '999994402');
    const orphanId = `DJI-${Date.now()}-ORPHAN`;
    expect((await hub.postHttp(Events.screening(orphanId), DEMO_TOKENS.dpan)).status).toBe(202);
    const westlandInside = await detention('1783', '999994414'); // a tenant's, still detained
    await hub.waitForCount(`select count(*) from delivery where published_at is null`, [], 0);
    const days = (p: { aftercareDays: number; retentionDaysAfterAftercare: number }) =>
      p.aftercareDays + p.retentionDaysAfterAftercare;
    const span = days(hub.app.get(TenantsFile).defaultPolicy);

    expect((await purge.purgeExpired(new Date(Date.now() + (span - 1) * DAY))).detentions).toBe(0);
    expect(await purge.purgeExpired(new Date(Date.now() + (span + 1) * DAY))).toMatchObject({
      detentions: 2,
    });
    expect(await erased(unrouted.id)).toBe(true);
    expect(await erased(orphanId)).toBe(true);
    expect(await hub.personalDataLeftovers([...unrouted.secrets, orphanId])).toEqual([]);
    expect(await erased(westlandInside.id)).toBe(false);
  });

  it('drops the payload of dead letters after DEAD_LETTER_RETENTION_DAYS, keeping their reasons', async () => {
    const bad = Events.started(undefined, { person: { bsn: '123456789', familyName: 'Afgewezen' } });
    expect((await hub.postHttp(bad)).status).toBe(400);
    expect((await purge.purgeExpired(new Date())).deadLetters).toBe(0);
    expect((await hub.personalDataLeftovers(['Afgewezen'])).length).toBe(1);
    const days = hub.app.get(AppConfig).DEAD_LETTER_RETENTION_DAYS;
    expect((await purge.purgeExpired(new Date(Date.now() + (days + 1) * DAY))).deadLetters).toBe(1);
    expect(await hub.personalDataLeftovers(['Afgewezen'])).toEqual([]);
    const [row] = await hub.db.query(`select status, violations, payload from dead_letter`);
    expect(row).toMatchObject({ status: 'purged', payload: null });
    expect(row.violations).toEqual([expect.objectContaining({ path: '$.data.person.bsn' })]);
  });
  it('erases the others when one detention cannot be erased (issue 9: per-detention isolation)', async () => {
    const stuck = await detention('1783', '999990056', 100);
    const other = await detention('1783', '999990068', 100);
    // Both projected and everything sent (the projection adds deadline alerts to the outbox).
    await hub.waitUntil(async () => {
      const [{ open }] = await hub.db.query(
        `select (select count(*) from case_refresh) + (select count(*) from delivery where published_at is null)
                + 2 - (select count(*) from aftercare_case where detention_id = any($1)) as open`,
        [[stuck.id, other.id]],
      );
      return Number(open) === 0;
    });
    // The database refuses the erasure of `stuck` (as it would a value it cannot hold), every time.
    await hub.db.query(`
      create or replace function test_refuse_erasure() returns trigger language plpgsql as $$
      begin
        if old.detention_id = '${stuck.id}' and new.detention_id <> old.detention_id then
          raise exception 'refused by the test';
        end if;
        return new;
      end $$`);
    await hub.db.query(`drop trigger if exists test_refuse_erasure on inbound_event`);
    await hub.db.query(
      `create trigger test_refuse_erasure before update on inbound_event
       for each row execute function test_refuse_erasure()`,
    );
    try {
      const outcome = await purge.purgeExpired(new Date());
      expect(outcome.detentions).toBe(1);
      expect(await erased(other.id)).toBe(true);
      expect(await erased(stuck.id)).toBe(false);
    } finally {
      await hub.db.query(`drop trigger if exists test_refuse_erasure on inbound_event`);
      await hub.db.query(`drop function if exists test_refuse_erasure()`);
    }
    // Once the cause is gone, the next pass erases it.
    expect((await purge.purgeExpired(new Date())).detentions).toBe(1);
    expect(await erased(stuck.id)).toBe(true);
  });
});
