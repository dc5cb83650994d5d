import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapConnector, BrpConnector } from '@nazorg/connectors';
import { CloudEvent, ConnectorResultType } from '@nazorg/contracts';
import { ExternalMocksModule } from '@nazorg/external-mocks';
import { eventually, Events, HubHarness } from '@nazorg/testing';

/**
 * Two instances of one connector side by side (ADR 0019): they compete for the same recipient
 * queues, each delivery is handled by one of them, and when one stops mid-stream the other
 * finishes: one BRP result per detention, none lost.
 */
describe('two BRP connectors side by side', () => {
  let hub: HubHarness;
  let mocks: INestApplication;
  const connectors: INestApplication[] = [];
  const handledBy: BrpConnector[] = [];

  beforeAll(async () => {
    const handle = BrpConnector.prototype.handle;
    // Which instance handled a delivery (the real connector runs; only observed).
    jest.spyOn(BrpConnector.prototype, 'handle').mockImplementation(function (
      this: BrpConnector,
      delivery: CloudEvent,
    ) {
      handledBy.push(this);
      return handle.call(this, delivery);
    });
    mocks = await NestFactory.create(ExternalMocksModule, { logger: false });
    await mocks.listen(0, '127.0.0.1');
    const url = (await mocks.getUrl()).replace('[::1]', '127.0.0.1');
    process.env.BRP_API_URL = `${url}/haalcentraal/api/brp`;
    hub = await HubHarness.start({ probe: [] });
    for (let i = 0; i < 2; i++) connectors.push(await bootstrapConnector('brp'));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const c of connectors) await c.close().catch(() => undefined);
    await hub?.stop();
    await mocks?.close();
  });

  const brpResults = async (detentionIds: string[]): Promise<Map<string, number>> => {
    const rows: { detention_id: string; n: string }[] = await hub.db.query(
      `select detention_id, count(*) as n from connector_result
       where type = $1 and detention_id = any($2) group by detention_id`,
      [ConnectorResultType.BRP_REGISTRATION_CHECKED, detentionIds],
    );
    return new Map(rows.map((r) => [r.detention_id, Number(r.n)]));
  };

  it('share the BRP queue, and the survivor finishes when one stops mid-stream', async () => {
    const [first, second] = connectors.map((c) => c.get(BrpConnector));
    const detentions: string[] = [];
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const started = Events.started();
        detentions.push(started.subject);
        expect((await hub.postHttp(started)).status).toBe(202);
      }
    };
    await send(30);
    await eventually(
      async () => (await brpResults(detentions)).size === detentions.length,
      60000,
      'BRP results',
    );
    expect(handledBy.includes(first)).toBe(true);
    expect(handledBy.includes(second)).toBe(true);

    await send(10);
    // One stops gracefully while deliveries are in flight; the stream goes on.
    const stopping = connectors[0].close();
    await send(20);
    await stopping;
    await eventually(
      async () => (await brpResults(detentions)).size === detentions.length,
      60000,
      'BRP results after the stop',
    );
    const results = await brpResults(detentions);
    expect([...results.values()].filter((n) => n !== 1)).toEqual([]);
    expect(results.size).toBe(detentions.length);
  });
});
