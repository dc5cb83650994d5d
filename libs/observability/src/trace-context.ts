import {
  Attributes,
  context,
  Context,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * W3C trace context (`traceparent`, `tracestate`) in and out of message headers, HTTP headers and
 * the outbox row, through @opentelemetry/api only: without a registered SDK (tracing off) every
 * call here is a cheap no-op. Span attributes name channels, types, recipients and tenants, never
 * a subject, detention id or event id (docs/adr/0016).
 */
export type TraceCarrier = Record<string, string>;

const TRACER = 'nazorg-hub';
const FIELDS = ['traceparent', 'tracestate'] as const;

/** The current (or given) context as headers to send along; empty when there is no trace. */
export function injectTraceContext(ctx: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  // Only the W3C fields: a baggage entry could carry anything.
  return Object.fromEntries(
    Object.entries(carrier).filter(([k]) => (FIELDS as readonly string[]).includes(k)),
  );
}

/** The context a peer sent, from headers of any case (HTTP lower-cases them, AMQP keeps them). */
export function extractTraceContext(
  headers: Readonly<Record<string, string | string[] | undefined>> | null | undefined,
): Context {
  const carrier: TraceCarrier = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const name = key.toLowerCase();
    if (!(FIELDS as readonly string[]).includes(name) || value === undefined) continue;
    carrier[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The trace context to store with a row (the outbox), or null when there is none. */
export function currentTraceContext(): TraceCarrier | null {
  const carrier = injectTraceContext();
  return carrier.traceparent ? carrier : null;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The context to continue (extracted from a message or a row); by default the active one. */
  parent?: Context;
}

/**
 * Runs `work` in a new span (active for everything it awaits), ends it, and marks it failed when
 * `work` throws; only the error's class is recorded, its message may quote data.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'error' });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind, SpanStatusCode };
export type { Span };

/**
 * A span that is not made active, for work that is handed on rather than awaited here (one publish
 * span per delivery of a batch); `headers` carries it to the next hop.
 */
export function startLinkedSpan(name: string, options: SpanOptions): { span: Span; headers: TraceCarrier } {
  const parent = options.parent ?? context.active();
  const span = trace
    .getTracer(TRACER)
    .startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  return { span, headers: injectTraceContext(trace.setSpan(parent, span)) };
}

/** The context stored with a row (see currentTraceContext), to continue. */
export function storedTraceContext(stored: Record<string, string> | null | undefined): Context {
  return stored ? extractTraceContext(stored) : ROOT_CONTEXT;
}
