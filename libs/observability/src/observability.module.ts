import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { MetricsController } from './metrics.controller';
import { METRICS_LISTEN_ADDRESS, METRICS_LISTEN_PORT, MetricsHttpListener } from './metrics-http.listener';
import { METRICS } from './metrics.port';
import { PrometheusMetrics } from './prometheus.metrics';
import { startTracing } from './tracing';

export interface ObservabilityOptions {
  /** The `app` label of every metric and the traces' service name (hub, ops, connector-brp, ...). */
  app: string;
  /**
   * For apps without an HTTP server: the AppConfig key of the port of their own /metrics listener.
   * Without it `GET /metrics` is a controller on the app's HTTP server.
   */
  metricsPortKey?: keyof AppConfig;
  /** Whether the app has AppConfig (the external mocks have none, and export no traces). */
  configured?: boolean;
}

/** Metrics (the METRICS port, `GET /metrics`) and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, traces. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const providers: Provider[] = [
      options.configured === false
        ? { provide: METRICS, useFactory: () => new PrometheusMetrics(options.app) }
        : {
            provide: METRICS,
            inject: [AppConfig],
            useFactory: (config: AppConfig) =>
              new PrometheusMetrics(options.app, config.METRICS_EVENT_LOOP_RESOLUTION_MS),
          },
    ];
    if (options.configured !== false) {
      providers.push({
        provide: 'NAZORG_TRACING',
        inject: [AppConfig],
        useFactory: (config: AppConfig) =>
          startTracing(`nazorg-${options.app}`, config.OTEL_EXPORTER_OTLP_ENDPOINT),
      });
    }
    if (options.metricsPortKey) {
      const key = options.metricsPortKey;
      providers.push(
        { provide: METRICS_LISTEN_PORT, inject: [AppConfig], useFactory: (c: AppConfig) => Number(c[key]) },
        {
          provide: METRICS_LISTEN_ADDRESS,
          inject: [AppConfig],
          useFactory: (c: AppConfig) => c.LISTEN_ADDRESS,
        },
        MetricsHttpListener,
      );
    }
    return {
      module: ObservabilityModule,
      controllers: options.metricsPortKey ? [] : [MetricsController],
      providers,
      exports: [METRICS, ...(options.metricsPortKey ? [MetricsHttpListener] : [])],
    };
  }
}
