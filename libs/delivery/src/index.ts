export * from './delivery.module';
export * from './delivery-sender.port';
export * from './outbox-relay.service';
export * from './relay-outbox-batch.use-case';
export * from './broker-dead-letters.module';
export * from './broker-dead-letters.service';
export * from './webhook-signature';
export * from './webhook-destination';
