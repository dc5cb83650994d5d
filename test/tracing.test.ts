import { INestApplication } from '@nestjs/common';
import { bootstrapConnector } from '@nazorg/connectors';
import { ExternalMocksHarness } from '@nazorg/external-mocks';
import { EVENT_LOG } from '@nazorg/messaging';
import { flushTracing, METRICS } from '@nazorg/observability';
import { KafkaFeedSink, ObservedFeedSink } from '@nazorg/simulator';
import { eventually, Events, HubHarness, OtlpCollectorMock, ReceivedSpan } from '@nazorg/testing';

/**
 * One feed event from Kafka through the hub, the outbox, RabbitMQ, the BRP connector and its
 * external call, back as a result: one trace, exported over OTLP/HTTP JSON to a collector.
 */
describe('OpenTelemetry traces across every hop', () => {
  let collector: OtlpCollectorMock;
  let mocks: ExternalMocksHarness;
  let hub: HubHarness;
  let brp: INestApplication;

  beforeAll(async () => {
    collector = await OtlpCollectorMock.start();
    mocks = await ExternalMocksHarness.start();
    Object.assign(process.env, {
      ...mocks.connectorEnv(),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    hub = await HubHarness.start({ probe: ['coordinator-haarlem'] });
    brp = await bootstrapConnector('brp');
  });
  afterAll(async () => {
    await brp?.close();
    await hub?.stop();
    await mocks?.close();
    await collector?.close();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  });

  it('shares one trace id from the Kafka ingest to the result, through the outbox row', async () => {
    const started = Events.started(undefined, { municipalityOfOrigin: '0392', flags: { pga: false } });
    // Sent as the feed sends it: its span starts the trace, its Kafka headers carry it.
    await new ObservedFeedSink(new KafkaFeedSink(hub.app.get(EVENT_LOG)), 'kafka', hub.app.get(METRICS)).send(
      started,
    );
    const find = (name: string, attrs: Record<string, unknown> = {}): ReceivedSpan | undefined =>
      collector.spans.find(
        (s) => s.name === name && Object.entries(attrs).every(([k, v]) => s.attributes[k] === v),
      );
    await eventually(
      async () => {
        await flushTracing();
        return find('result received', { 'nazorg.recipient_id': 'brp-haarlem' }) !== undefined;
      },
      20000,
      'the BRP result span at the collector',
    );

    const feed = find('feed send')!;
    const ingest = find('ingest kafka')!;
    expect(ingest.traceId).toBe(feed.traceId);
    expect(ingest.parentSpanId).toBe(feed.spanId);
    const trace = collector.spans.filter((s) => s.traceId === ingest.traceId);
    const named = (name: string, attrs: Record<string, unknown> = {}) =>
      trace.find((s) => s.name === name && Object.entries(attrs).every(([k, v]) => s.attributes[k] === v));
    const store = named('store and route');
    const publish = named('publish rabbitmq', { 'nazorg.recipient_id': 'brp-haarlem' });
    const connector = named('connector brp');
    const external = trace.find((s) => /^(GET|POST|PUT) /.test(s.name));
    const result = named('result received', { 'nazorg.recipient_id': 'brp-haarlem' });
    // Each hop a child of the one before: the outbox row carried the store span's context.
    expect(store?.parentSpanId).toBe(ingest.spanId);
    expect(publish?.parentSpanId).toBe(store?.spanId);
    expect(connector?.parentSpanId).toBe(publish?.spanId);
    expect(external?.parentSpanId).toBe(connector?.spanId);
    expect(result?.parentSpanId).toBe(connector?.spanId);

    const [row] = await hub.db.query(
      `select trace_context from delivery where detention_id = $1 and recipient_id = 'brp-haarlem'`,
      [started.subject],
    );
    expect(row.trace_context.traceparent).toContain(ingest.traceId);

    // Span attributes name hops, recipients and types, never who.
    const person = (started.data as { person: { bsn: string; familyName: string } }).person;
    for (const body of collector.bodies)
      for (const secret of [started.subject, person.bsn, person.familyName])
        expect(body).not.toContain(secret);
  });
});
