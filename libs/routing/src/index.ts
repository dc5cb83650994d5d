export * from './delivery.planner';
export * from './routing.module';
export * from './tenant.directory';
