export * from './console.module';
export * from './console-monitoring.port';
export * from './case-trace.service';
export * from './html';
export * from './backend.console-monitoring';
