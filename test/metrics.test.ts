import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapConnector, ConnectorKind } from '@nazorg/connectors';
import { connect } from 'amqplib';
import { HubQueues } from '@nazorg/messaging';
import { ExternalMocksHarness } from '@nazorg/external-mocks';
import { MetricsHttpListener } from '@nazorg/observability';
import { FEED_SINK, FeedSink } from '@nazorg/simulator';
import { eventually, Events, HubHarness } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';
import { FeedModule } from '../apps/feed/src/feed.module';

/** Sum of a metric's samples whose labels include all of `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/**
 * `GET /metrics` on every app after real traffic: the counters of each hop moved, and no BSN,
 * detention id or name appears anywhere in a scrape (labels hold only bounded, non-personal values).
 */
describe('Prometheus metrics on every app', () => {
  let mocks: ExternalMocksHarness;
  let hub: HubHarness;
  let ops: INestApplication;
  let feed: INestApplicationContext;
  const connectors = new Map<ConnectorKind, INestApplication>();

  beforeAll(async () => {
    mocks = await ExternalMocksHarness.start();
    // The connectors' and the feed's metrics ports are 0 in every test (test/support/env.ts).
    Object.assign(process.env, mocks.connectorEnv());
    hub = await HubHarness.start({ probe: ['coordinator-eemland-zuid'] });
    ops = await bootstrapOps({ port: 0 });
    for (const kind of ['brp', 'income', 'schuldhulp', 'zorg'] as ConnectorKind[])
      connectors.set(kind, await bootstrapConnector(kind));
    feed = await NestFactory.createApplicationContext(FeedModule.forRoot({ sink: 'kafka' }), {
      logger: false,
    });
  });
  afterAll(async () => {
    await feed?.close();
    for (const c of connectors.values()) await c.close();
    await ops?.close();
    await hub?.stop();
    await mocks?.close();
  });

  it('counts every hop, by bounded labels only, and never shows who', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392', flags: { pga: false } });
    // Through the feed's own sink, as the demo sends it.
    await feed.get<FeedSink>(FEED_SINK).send(started);
    const invalid = Events.started();
    (invalid.data as { person: { bsn: string } }).person.bsn = '123456789';
    expect((await hub.postHttp(invalid)).status).toBe(400);
    await eventually(
      async () =>
        (await hub.db.query(`select 1 from connector_result where detention_id = $1`, [started.subject]))
          .length >= 2,
      20000,
      'the BRP and income results',
    );

    const hubText = await scrape(`${hub.url}/metrics`);
    expect(sample(hubText, 'nazorg_events_received_total', { channel: 'kafka' })).toBeGreaterThanOrEqual(1);
    expect(
      sample(hubText, 'nazorg_events_stored_total', {
        channel: 'kafka',
        event_type: 'nl.dji.injus.detention.started.v1',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(hubText, 'nazorg_events_rejected_total', { channel: 'http', reason: 'invalid' })).toBe(1);
    expect(
      sample(hubText, 'nazorg_ingest_duration_seconds_count', { channel: 'kafka' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(hubText, 'nazorg_deliveries_published_total', { recipient_id: 'brp-haarlem' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(hubText, 'nazorg_end_to_end_duration_seconds_count', { recipient_kind: 'brp' }),
    ).toBeGreaterThan(0);
    expect(
      sample(hubText, 'nazorg_results_received_total', { recipient_id: 'brp-haarlem', outcome: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(hubText).toContain('# TYPE nazorg_outbox_backlog gauge');
    expect(hubText).toMatch(/nazorg_kafka_consumer_lag\{topic="injus\.detention-events\.v1",partition="\d+"/);
    expect(hubText).toContain('process_cpu_user_seconds_total{app="hub"}');
    // Every one of the hub's own queues has a depth, and a message left in one shows in the next scrape.
    for (const queue of [
      HubQueues.INGRESS,
      HubQueues.retry(HubQueues.RESULTS),
      HubQueues.dead(HubQueues.INGRESS),
    ])
      expect(hubText).toMatch(
        new RegExp(`nazorg_queue_depth\\{queue="${queue.replace(/\./g, '\\.')}"(,[^}]*)?\\} \\d+`),
      );
    const deadBefore = sample(hubText, 'nazorg_queue_depth', { queue: HubQueues.dead(HubQueues.INGRESS) });
    const tool = await connect(process.env.TEST_AMQP_TOOL_URL as string);
    const channel = await tool.createConfirmChannel();
    channel.sendToQueue(HubQueues.dead(HubQueues.INGRESS), Buffer.from('{}'));
    await channel.waitForConfirms();
    const deadAfter = sample(await scrape(`${hub.url}/metrics`), 'nazorg_queue_depth', {
      queue: HubQueues.dead(HubQueues.INGRESS),
    });
    // Take it out again: later test files count what they find in that queue.
    const left = await channel.get(HubQueues.dead(HubQueues.INGRESS));
    if (left) channel.ack(left);
    await tool.close();
    expect(deadAfter).toBe(deadBefore + 1);

    const connectorTexts = new Map<ConnectorKind, string>();
    const done = (kind: 'brp' | 'income') =>
      sample(connectorTexts.get(kind) ?? '', 'nazorg_connector_deliveries_total', {
        connector: kind,
        recipient_id: `${kind}-haarlem`,
        outcome: 'done',
      });
    // A connector counts its delivery once its result is published and the delivery acked, which
    // can be just after the hub stored the result.
    await eventually(
      async () => {
        for (const [kind, app] of connectors)
          connectorTexts.set(kind, await scrape(app.get(MetricsHttpListener).url()));
        return done('brp') >= 1 && done('income') >= 1;
      },
      10000,
      'the connectors counting their deliveries',
    );
    for (const text of connectorTexts.values()) expect(text).toContain('process_resident_memory_bytes');

    const others = [
      await scrape(`${(await ops.getUrl()).replace('[::1]', '127.0.0.1')}/metrics`),
      await scrape(`${mocks.url.replace('[::1]', '127.0.0.1')}/metrics`),
      await scrape(feed.get(MetricsHttpListener).url()),
    ];
    expect(others[0]).toContain('app="ops"');
    expect(others[1]).toContain('app="external-mocks"');
    expect(others[2]).toContain('app="feed"');
    expect(sample(others[2], 'nazorg_feed_events_sent_total', { sink: 'kafka', outcome: 'sent' })).toBe(1);

    const person = (started.data as { person: { bsn: string; givenNames: string; familyName: string } })
      .person;
    for (const text of [hubText, ...connectorTexts.values(), ...others]) {
      for (const secret of [
        started.subject,
        invalid.subject,
        person.bsn,
        '123456789',
        person.givenNames,
        person.familyName,
        started.id,
      ])
        expect(text).not.toContain(secret);
    }
  });
});
