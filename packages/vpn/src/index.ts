export * from './adapter.js';
export * from './http/index.js';
