import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: {
      spans?: (Omit<ReceivedSpan, 'service' | 'attributes'> & {
        attributes?: { key: string; value: AnyValue }[];
      })[];
    }[];
  }[];
}

/**
 * A small OpenTelemetry collector: accepts OTLP/HTTP JSON on `POST /v1/traces` (what the hub's
 * exporter sends with OTEL_EXPORTER_OTLP_PROTOCOL=http/json), answers as a collector does, and keeps
 * the spans and the raw bodies for the test to read.
 */
export class OtlpCollectorMock {
  readonly spans: ReceivedSpan[] = [];
  readonly bodies: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpCollectorMock> {
    // The handler needs the instance, which needs the listening server's port.
    const self: { collector?: OtlpCollectorMock } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
        if (!String(req.headers['content-type']).startsWith('application/json'))
          return void res.writeHead(415).end();
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          self.collector?.accept(text);
        } catch {
          return void res.writeHead(400, { 'content-type': 'application/json' }).end('{}');
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self.collector = new OtlpCollectorMock(server, `http://127.0.0.1:${port}`);
    return self.collector;
  }

  private accept(text: string): void {
    const body = JSON.parse(text) as OtlpJson;
    this.bodies.push(text);
    for (const rs of body.resourceSpans ?? []) {
      const service = String(
        rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '',
      );
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? [])
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: span.kind,
            attributes: Object.fromEntries(
              (span.attributes ?? []).map((a) => [
                a.key,
                a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue,
              ]),
            ),
          });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
