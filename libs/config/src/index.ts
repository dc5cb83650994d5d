export * from './app-config';
export * from './config-error';
export * from './config.module';
export * from './tenant-config';
export * from './tenants.loader';
export * from './webhook-secrets';
export * from './broker-identity';
