import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { AftercareSchedulerService, CaseRefreshWorker } from '@nazorg/aftercare';
import { ConnectorResultType, HUB_SOURCE } from '@nazorg/contracts';
import { CASE_STORE, CaseStorePort, DATA_CIPHER, DataCipherPort } from '@nazorg/persistence';
import { Events, HubHarness } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

const DAY = 86_400_000;

/**
 * Issue 9: one bad stored result never stops the projection of its own case for good, nor of any
 * other case. Two results with a numeric `time` (stored straight into `connector_result`, as if a
 * validator had let them through) used to fail their case's fold (`localeCompare is not a
 * function`) for ever, and with it the aftercare scan of every case. A result whose sealed value
 * cannot be opened makes its case's projection throw whatever the fold does: that case is parked
 * after CASE_PROJECTION_MAX_ATTEMPTS and shown to operations, and every other case goes on.
 */
describe('per-case isolation of the case projection and the aftercare scan', () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let opsUrl: string;
  const MAX = 2;

  beforeAll(async () => {
    hub = await HubHarness.start({ env: { CASE_PROJECTION_MAX_ATTEMPTS: String(MAX) } });
    ops = await bootstrapOps({ port: 0 });
    opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await ops?.close();
    await hub?.stop();
  });

  /** Drains the refresh queue as the worker does, whatever single projections throw meanwhile. */
  const drain = async () => {
    await hub.app
      .get(CaseRefreshWorker)
      .drain()
      .catch(() => undefined);
  };
  /** A stored result; `sealed` seals its event for the row (or gives bytes that are no sealed value). */
  const insertResult = async (
    detentionId: string,
    sealed: (row: string) => Promise<Buffer>,
    time: unknown,
  ) => {
    const [{ recipient_id: recipientId, tenant_id: tenantId }] = await hub.db.query(
      `select recipient_id, tenant_id from delivery where detention_id = $1 limit 1`,
      [detentionId],
    );
    const id = randomUUID();
    await hub.db.query(
      `insert into connector_result (id, source, event_id, type, detention_id, recipient_id, tenant_id, outcome,
                                     event, event_sealed, key_id)
       values ($10, $1, $2, $3, $4, $5, $6, 'completed', $7, $8, $9)`,
      [
        `${HUB_SOURCE}/connectors/brp`,
        id,
        ConnectorResultType.BRP_REGISTRATION_CHECKED,
        detentionId,
        recipientId,
        tenantId,
        JSON.stringify({ id, time }),
        await sealed(id),
        hub.app.get<DataCipherPort>(DATA_CIPHER).activeKeyId,
        id,
      ],
    );
    await hub.db.query(
      `insert into case_refresh (detention_id) values ($1)
       on conflict (detention_id) do update set requested_at = clock_timestamp()`,
      [detentionId],
    );
  };
  const numericTimeResult = (detentionId: string, time: number) => async (row: string) =>
    (
      await hub.app.get<DataCipherPort>(DATA_CIPHER).sealJsonFor(
        {
          specversion: '1.0',
          id: randomUUID(),
          source: `${HUB_SOURCE}/connectors/brp`,
          type: ConnectorResultType.BRP_REGISTRATION_CHECKED,
          time,
          subject: detentionId,
          data: { detentionId, recipientId: 'ops', outcome: 'completed', details: null },
        },
        { detentionId },
        { context: 'connector_result.event', row },
      )
    ).sealed;

  it('projects and scans every other case, and parks the one that keeps failing', async () => {
    // Three cases in id order: the numeric-time one first, so a scan that stops on it misses the rest.
    const events = [Events.started(), Events.started(), Events.started()].sort((a, b) =>
      a.subject < b.subject ? -1 : 1,
    );
    for (const e of events) expect((await hub.postHttp(e)).status).toBe(202);
    const [numeric, broken, healthy] = events.map((e) => e.subject);
    await hub.waitForCount(
      `select count(*) from aftercare_case where detention_id = any($1)`,
      [[numeric, broken, healthy]],
      3,
    );

    await insertResult(numeric, numericTimeResult(numeric, 1767686400000), 1767686400000);
    await insertResult(numeric, numericTimeResult(numeric, 1767686400001), 1767686400001);
    // Not a sealed value at all: opening it throws, every time.
    await insertResult(broken, async () => Buffer.from('not a sealed value'), new Date().toISOString());

    // The worker (in the background, and here) tries the broken case at most MAX times, then parks it.
    await hub.waitUntil(async () => {
      await drain();
      const [row] = await hub.db.query(`select parked_at from case_refresh where detention_id = $1`, [
        broken,
      ]);
      return row?.parked_at != null;
    }, 30000);
    const [parked] = await hub.db.query(
      `select failed_attempts, last_error, parked_at from case_refresh where detention_id = $1`,
      [broken],
    );
    expect(parked).toMatchObject({ failed_attempts: MAX, last_error: 'Error' });
    expect(parked.parked_at).not.toBeNull();
    // The numeric-time case projected (its bad results left out): its request is answered.
    expect(
      await hub.waitForCount(`select count(*) from case_refresh where detention_id = $1`, [numeric], 0),
    ).toBe(0);
    await drain();
    const [{ count: left }] = await hub.db.query(
      `select count(*) from case_refresh where detention_id = $1`,
      [numeric],
    );
    expect(Number(left)).toBe(0);

    // The scan, far enough ahead for deadlines to be missed, goes through every case but the parked one.
    const scan = await hub.app.get(AftercareSchedulerService).scan(new Date(Date.now() + 60 * DAY));
    expect(scan.failed).toBe(0);
    const alerted: { detention_id: string }[] = await hub.db.query(
      `select distinct detention_id from case_alert where detention_id = any($1)`,
      [[numeric, broken, healthy]],
    );
    expect(alerted.map((a) => a.detention_id).sort()).toEqual([numeric, healthy].sort());
    const numericCase = await hub.app.get<CaseStorePort>(CASE_STORE).find(numeric);
    expect((numericCase?.state.results as unknown[]).length).toBe(0);

    // Operations see it, without naming the detention.
    const flows = (await (
      await fetch(`${opsUrl}/api/v1/flows`, { headers: { authorization: 'Bearer demo-operator-token' } })
    ).json()) as { projectionFailures: unknown };
    expect(flows.projectionFailures).toMatchObject({ failing: 0, parked: 1, byError: { Error: 1 } });
    expect(JSON.stringify(flows)).not.toContain(broken);

    // Once the cause is gone (here: the unreadable result removed), an operator asks again for the
    // parked projections, and the case projects. A coordinator may not.
    const retry = (token: string) =>
      fetch(`${opsUrl}/api/v1/case-projections/parked/retry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await retry('demo-coordinator-eemland-zuid-token')).status).toBe(403);
    await hub.db.query(`delete from connector_result where detention_id = $1 and event_sealed = $2`, [
      broken,
      Buffer.from('not a sealed value'),
    ]);
    const retried = await retry('demo-operator-token');
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ retried: 1 });
    await hub.waitUntil(async () => {
      await drain();
      const rows = await hub.db.query(`select 1 from case_refresh where detention_id = $1`, [broken]);
      return rows.length === 0;
    }, 30000);
  });
});
