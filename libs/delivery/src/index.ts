export * from './delivery.module';
export * from './delivery-sender.port';
export * from './outbox-relay.service';
