export * from './operations.module';
export * from './flow-stats.service';
export * from './ops-credentials';
