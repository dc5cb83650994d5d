import { CaseProjectorService, CaseRefreshWorker } from '@nazorg/aftercare';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { eventually, Events, HubHarness } from '@nazorg/testing';
import { Client } from 'pg';

/**
 * A case pass reads and decides before it takes the detentions' locks (ADR 0028, "Case passes"):
 * what changes a case meanwhile must win. Here the
 * change commits while the pass waits for the lock a Kafka batch would hold, between its reading
 * and its writing: an erasure must not find the case written back, and a newer request must stay
 * queued for the next pass, which then projects it.
 */
describe('case projection: a change between reading and writing a case wins', () => {
  let hub: HubHarness;
  let store: CaseStorePort;
  let projector: CaseProjectorService;
  let holder: Client;

  beforeAll(async () => {
    // Only notifications wake the background pass: the requests this test queues by hand stay
    // queued until the test answers them itself.
    hub = await HubHarness.start({ env: { OUTBOX_POLL_MS: '60000' } });
    store = hub.app.get<CaseStorePort>(CASE_STORE);
    projector = hub.app.get(CaseProjectorService);
    holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await hub?.stop();
  });

  const caseCount = async (detentionId: string) =>
    Number(
      (await hub.db.query(`select count(*) from aftercare_case where detention_id = $1`, [detentionId]))[0]
        .count,
    );
  const queued = async (detentionId: string) =>
    (await store.pendingRefreshes(1000)).filter((r) => r.detentionId === detentionId);

  /** A projected detention with a fresh request queued by hand (no notification). */
  const projectedAndQueued = async () => {
    const started = Events.started();
    expect((await hub.postHttp(started)).status).toBe(202);
    await hub.app.get(CaseRefreshWorker).drain();
    await eventually(async () => (await caseCount(started.subject)) === 1, 10_000, 'the case');
    await hub.db.query(
      `insert into case_refresh (detention_id) values ($1)
       on conflict (detention_id) do update set requested_at = clock_timestamp()`,
      [started.subject],
    );
    const requests = await queued(started.subject);
    expect(requests).toHaveLength(1);
    return { detentionId: started.subject, requests };
  };

  /**
   * Runs a pass over `requests` while `holder` holds the detention's lock; once the pass waits for
   * it (it has read and decided), `change` runs in the holder's transaction, which then commits.
   */
  const passAround = async (
    detentionId: string,
    requests: { detentionId: string; requestedAt: string }[],
    change: () => Promise<void>,
  ) => {
    await holder.query('begin');
    await holder.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [detentionId]);
    const pass = projector.refreshAll(requests);
    await eventually(
      async () =>
        Number(
          (
            await holder.query(
              `select count(*) from pg_locks where locktype = 'advisory' and not granted and pid <> pg_backend_pid()`,
            )
          ).rows[0].count,
        ) > 0,
      10_000,
      'the pass to wait for the lock',
      20,
    );
    await change();
    await holder.query('commit');
    return pass;
  };

  it('an erasure committed meanwhile: the case is not written back', async () => {
    const { detentionId, requests } = await projectedAndQueued();
    await passAround(detentionId, requests, async () => {
      // What an erasure does to the case under this lock (typeorm-detention.erasure.ts).
      await holder.query(`update detention set erased_at = now() where detention_id = $1`, [detentionId]);
      await holder.query(`delete from aftercare_case where detention_id = $1`, [detentionId]);
      await holder.query(`delete from case_refresh where detention_id = $1`, [detentionId]);
    });
    expect(await caseCount(detentionId)).toBe(0);
  });

  it('a newer request queued meanwhile stays queued, and the next pass answers it', async () => {
    const { detentionId, requests } = await projectedAndQueued();
    const [{ updated_at: before }] = await hub.db.query(
      `select updated_at from aftercare_case where detention_id = $1`,
      [detentionId],
    );
    await passAround(detentionId, requests, async () => {
      // What storing an event does under this lock.
      await holder.query(`update case_refresh set requested_at = clock_timestamp() where detention_id = $1`, [
        detentionId,
      ]);
    });
    const [{ updated_at: after }] = await hub.db.query(
      `select updated_at from aftercare_case where detention_id = $1`,
      [detentionId],
    );
    expect(after).toEqual(before);
    const newer = await queued(detentionId);
    expect(newer).toHaveLength(1);
    expect(newer[0].requestedAt > requests[0].requestedAt).toBe(true);

    await projector.refreshAll(newer);
    expect(await queued(detentionId)).toHaveLength(0);
    const [{ updated_at: answered }] = await hub.db.query(
      `select updated_at from aftercare_case where detention_id = $1`,
      [detentionId],
    );
    expect(answered.getTime()).toBeGreaterThan(before.getTime());
  });
});
