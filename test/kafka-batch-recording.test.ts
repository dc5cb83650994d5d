import { CloudEvent } from '@nazorg/contracts';
import { IngestionService, IngestOutcome, RecordEventsUseCase } from '@nazorg/ingestion';
import { Events, eventually, HubHarness, newDetentionId } from '@nazorg/testing';

/**
 * A Kafka batch is recorded in memory and written at its end (ADR 0028). Whatever the batch holds,
 * the outcome of every event and what is stored must be what recording them one by one gives: the
 * same scenario runs both ways (under fresh detention ids) and the two results are compared.
 */
describe('a Kafka batch is recorded as its events one by one', () => {
  let hub: HubHarness;
  let ingestion: IngestionService;

  beforeAll(async () => {
    hub = await HubHarness.start({ probe: [] });
    ingestion = hub.app.get(IngestionService);
  });
  afterAll(() => hub?.stop());

  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  /** Mixed traffic: the common lifecycles and each case the batch hands to the one-by-one way. */
  function scenario(): { before: string[]; batch: string[]; subjects: string[] } {
    const d = Array.from({ length: 9 }, () => newDetentionId());
    const start = (i: number, municipalityOfOrigin = '0307') =>
      Events.started(d[i], { municipalityOfOrigin, startedAt: hoursAgo(48) });
    const known = start(8);
    const repeated = start(2);
    const batch: (CloudEvent<object> | string)[] = [
      // A whole lifecycle, in order.
      start(0),
      Events.screening(d[0]),
      Events.releaseScheduled(d[0]),
      Events.released(d[0]),
      // A screening before its start waits for it, and is routed with it.
      Events.screening(d[1]),
      Events.transferred(d[1]),
      start(1),
      // The same start twice.
      repeated,
      repeated,
      // A screening that withdraws consent from care.
      start(3),
      Events.screening(d[3], { consent: { schuldhulp: true, zorg: false } }),
      Events.released(d[3]),
      // A withdrawal, and an event after it.
      start(4),
      Events.withdrawn(d[4]),
      Events.screening(d[4]),
      // A release before the start waits for it, and the start refuses it.
      Events.released(d[5], { releasedAt: hoursAgo(72) }),
      start(5),
      // A municipality no tenant serves.
      start(6, '0999'),
      Events.screening(d[6]),
      // A detention whose start came in an earlier batch.
      Events.screening(d[8]),
      Events.released(d[8]),
      // A second start for a known detention naming another municipality: refused.
      start(0, '1783'),
      // Invalid.
      '{"specversion":"1.0","type":"nl.dji.detention.started"}',
      // A release that contradicts the recorded start.
      Events.released(d[8], { releasedAt: hoursAgo(96) }),
    ];
    const text = (e: CloudEvent<object> | string) => (typeof e === 'string' ? e : JSON.stringify(e));
    return { before: [text(known)], batch: batch.map(text), subjects: d };
  }

  const summary = (o: IngestOutcome) =>
    o.outcome === 'stored'
      ? `stored ${o.routingStatus} ${o.deliveries}`
      : 'violations' in o
        ? `${o.outcome} ${o.violations.map((v) => v.path).join(',')}`
        : o.outcome;

  /** What is stored about the scenario's detentions, with each detention id replaced by its index. */
  async function stored(subjects: string[]): Promise<unknown> {
    // The withdrawn detention is erased once its withdrawal went out: compared after that.
    await eventually(
      async () =>
        (await hub.db.query(`select 1 from detention where detention_id = $1`, [subjects[4]])).length === 0,
      20_000,
      'the withdrawn detention to be erased',
    );
    const index = (id: string) => subjects.indexOf(id);
    const events: { detention_id: string; type: string; routing_status: string; tenant_id: string | null }[] =
      await hub.db.query(
        `select detention_id, type, routing_status, tenant_id from inbound_event where detention_id = any($1)`,
        [subjects],
      );
    const detentions: Record<string, unknown>[] = await hub.db.query(
      `select detention_id, origin_known, municipality_of_origin, tenant_id, released_at is not null released,
              withdrawn_at is not null withdrawn, consent_withdrawn_from
       from detention where detention_id = any($1)`,
      [subjects],
    );
    const deliveries: { detention_id: string; type: string; recipient_id: string }[] = await hub.db.query(
      `select d.detention_id, i.type, d.recipient_id from delivery d join inbound_event i on i.id = d.inbound_event_id
       where d.detention_id = any($1)`,
      [subjects],
    );
    const keys: { n: number }[] = await hub.db.query(
      `select count(*)::int n from detention_key k where exists (
         select 1 from inbound_event i where i.detention_id = any($1) and i.key_id = 'dk:' || k.id)`,
      [subjects],
    );
    const sorted = (rows: string[]) => rows.sort();
    return {
      events: sorted(
        events.map((e) => `${index(e.detention_id)} ${e.type} ${e.routing_status} ${e.tenant_id}`),
      ),
      detentions: sorted(
        detentions.map((r) => JSON.stringify({ ...r, detention_id: index(r.detention_id as string) })),
      ),
      deliveries: sorted(deliveries.map((r) => `${index(r.detention_id)} ${r.type} ${r.recipient_id}`)),
      keys: keys[0].n,
    };
  }

  it('gives each event the outcome and stores what recording them one by one does', async () => {
    const store = hub.app.get(RecordEventsUseCase);
    const alone = jest.spyOn(store as unknown as { recordOne: () => unknown }, 'recordOne');

    const oneByOne = scenario();
    for (const input of oneByOne.before) await ingestion.ingest(Buffer.from(input), 'kafka');
    alone.mockClear();
    const outcomesAlone: string[] = [];
    for (const input of oneByOne.batch)
      outcomesAlone.push(summary(await ingestion.ingest(Buffer.from(input), 'kafka')));
    const storedAlone = await stored(oneByOne.subjects);
    const aloneCalls = alone.mock.calls.length;

    const batched = scenario();
    for (const input of batched.before) await ingestion.ingest(Buffer.from(input), 'kafka');
    alone.mockClear();
    const inputs = batched.batch.map((b) => Buffer.from(b));
    const outcomesBatched: string[] = [];
    await ingestion.inBatch(inputs, async () => {
      for (const input of inputs) outcomesBatched.push(summary(await ingestion.ingest(input, 'kafka')));
    });
    const storedBatched = await stored(batched.subjects);

    expect(outcomesBatched).toEqual(outcomesAlone);
    expect(storedBatched).toEqual(storedAlone);
    // The scenario covers what it means to: routed, waiting, unrouted, refused, duplicate, invalid.
    expect(outcomesAlone).toEqual(
      expect.arrayContaining([
        'stored routed 6',
        'stored awaiting-origin 0',
        'stored unrouted 0',
        'duplicate',
        expect.stringMatching(/^conflict /),
        expect.stringMatching(/^rejected /),
      ]),
    );
    // Most of the batch was decided in memory: only the withdrawal's, the consent's and the refusing
    // start's detentions went one by one (from the event that needed it on).
    expect(aloneCalls).toBe(
      outcomesAlone.filter((o) => o !== 'rejected' && !o.startsWith('rejected')).length,
    );
    expect(alone.mock.calls.length).toBeLessThanOrEqual(7);
    alone.mockRestore();
  });
});
