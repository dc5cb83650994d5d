export * from './events/cloud-event';
export * from './events/event-types';
export * from './events/detention-event-data';
export * from './events/hub-event-types';
export * from './validation/bsn';
export * from './validation/validators';
export * from './validation/event.validator';
export * from './events/stable-uuid';
