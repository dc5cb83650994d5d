export * from './event.factory';
export * from './hub.harness';
export * from './recipient.probe';
export * from './tenants-file';
export * from './output.capture';
export * from './wait-for';
