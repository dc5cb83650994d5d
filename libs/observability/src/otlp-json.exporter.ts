import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { tracing } from '@opentelemetry/sdk-node';

/**
 * OTLP/HTTP with JSON bodies (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) to `<endpoint>/v1/traces`,
 * with the official serializer and global fetch. Not @opentelemetry/exporter-trace-otlp-http's
 * transport: that loads node:http through a dynamic import(), which jest's CommonJS runtime (our
 * tests) cannot run. A failed export drops the batch (tracing never holds up the hub).
 */
export class OtlpJsonExporter implements tracing.SpanExporter {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  export(spans: tracing.ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) return done({ code: ExportResultCode.FAILED });
    const sending = fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).then(
      async (response) => {
        await response.body?.cancel().catch(() => undefined);
        done({ code: response.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
      },
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
