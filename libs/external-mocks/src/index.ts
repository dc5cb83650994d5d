export * from './external-mocks.module';
export * from './mock-behaviour';
export * from './request-log';
