export * from './random';
export * from './test-bsn';
export * from './lifecycle.generator';
export * from './simulation.runner';
export * from './feed-sink.port';
export * from './feed.sinks';
export * from './scenario.reader';
