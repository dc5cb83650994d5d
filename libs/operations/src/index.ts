export * from './operations.module';
export * from './flow-stats.service';
export * from './dead-letters.service';
export * from './ops-credentials.service';
export * from './readiness.service';
export * from './ops-request';
