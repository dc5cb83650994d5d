import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  currentTraceContext,
  extractTraceContext,
  injectTraceContext,
  storedTraceContext,
} from './trace-context';

/** Trace context in and out of message headers (Kafka, RabbitMQ, HTTP) and the outbox row. */
describe('trace context headers', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('extracts what a peer sent and injects the same trace onwards', () => {
    const ctx = extractTraceContext({ traceparent, tracestate: 'vendor=1', 'content-type': 'x' });
    expect(trace.getSpanContext(ctx)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(injectTraceContext(ctx)).toEqual({ traceparent, tracestate: 'vendor=1' });
  });

  it('reads header names of any case (AMQP keeps them as sent), and arrays (node:http)', () => {
    expect(trace.getSpanContext(extractTraceContext({ TraceParent: traceparent }))?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(trace.getSpanContext(extractTraceContext({ traceparent: [traceparent] }))?.spanId).toBe(
      '00f067aa0ba902b7',
    );
  });

  it('passes on nothing but the W3C fields (no baggage), and nothing without a trace', () => {
    const ctx = propagation.setBaggage(
      extractTraceContext({ traceparent }),
      propagation.createBaggage({ subject: { value: 'DJI-123' } }),
    );
    expect(Object.keys(injectTraceContext(ctx))).toEqual(['traceparent']);
    expect(injectTraceContext(context.active())).toEqual({});
    expect(currentTraceContext()).toBeNull();
  });

  it('ignores a malformed traceparent instead of failing the message', () => {
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'not-a-trace' }))).toBeUndefined();
    expect(trace.getSpanContext(storedTraceContext(null))).toBeUndefined();
  });

  it('continues the context stored with an outbox row', () => {
    expect(trace.getSpanContext(storedTraceContext({ traceparent }))?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });
});
