export * from './default-privacy-profiles';
export * from './privacy-filter';
export * from './privacy-profile.registry';
export * from './pseudonymizer';
export * from './legal-grounds';
export * from './loggable-error';
export * from './consent-withdrawal';
export * from './person-index';
