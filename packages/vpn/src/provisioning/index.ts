export * from './desired-state.js';
export * from './provisioning.service.js';
export * from './reissue.js';
export * from './retire-accounts.js';
export * from './credential-identity.js';
export * from './live-check.js';
