export * from './calendar';
export * from './case/case-state';
export * from './case/aftercare.policy';
export * from './case/aftercare-messages';
export * from './case/case-projector.service';
export * from './case/aftercare-scheduler.service';
export * from './aftercare.module';
export * from './case/case-refresh.worker';
