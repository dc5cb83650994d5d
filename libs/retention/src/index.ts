export * from './retention-purge.service';
export * from './retention.module';
