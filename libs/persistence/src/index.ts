export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './database.migrator';
export * from './ports/event-store.port';
export * from './ports/dead-letter-store.port';
export * from './ports/connector-result-store.port';
export * from './ports/outbox.port';
export { OUTBOX_CHANNEL } from './adapters/typeorm-event.store';
