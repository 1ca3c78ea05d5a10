export * from './http-client.js';
export * from './retry.js';
export * from './circuit-breaker.js';
export * from './resilient-adapter.js';
export * from './status-error.js';
export * from './deadline.js';
