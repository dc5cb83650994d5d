export * from './health.module';
export * from './health.options';
export * from './health.controller';
export * from './kafka.health-indicator';
export * from './rabbitmq.health-indicator';
export * from './readiness.registry';
