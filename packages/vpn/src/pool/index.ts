export * from './adapter-registry.js';
export * from './placement.js';
export * from './health-check.js';
export * from './server-pool.js';
