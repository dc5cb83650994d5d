import { Logger } from '@nestjs/common';
import { node, resources, tracing } from '@opentelemetry/sdk-node';
import { OtlpJsonExporter } from './otlp-json.exporter';

let provider: node.NodeTracerProvider | undefined;

/**
 * Starts exporting spans over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`, once per process: the
 * provider, context manager and W3C propagator are process-wide in OpenTelemetry. Without an
 * endpoint nothing is registered and every span is a no-op (tracing off).
 */
export function startTracing(serviceName: string, endpoint: string): boolean {
  if (provider || !endpoint) return provider !== undefined;
  provider = new node.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      new tracing.BatchSpanProcessor(new OtlpJsonExporter(`${endpoint.replace(/\/+$/, '')}/v1/traces`), {
        scheduledDelayMillis: 500,
      }),
    ],
  });
  provider.register();
  new Logger('Tracing').log(`exporting traces over OTLP/HTTP as ${serviceName}`);
  return true;
}

/** Sends what is buffered (tests, and before a process exits). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}
