export * from './metrics.port';
export * from './prometheus.metrics';
export * from './metrics.controller';
export * from './metrics-http.listener';
export * from './observability.module';
export * from './trace-context';
export * from './tracing';
export * from './otlp-json.exporter';
