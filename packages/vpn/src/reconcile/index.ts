export * from './drift.js';
export * from './reconciler.js';
