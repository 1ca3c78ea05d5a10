export * from './faults.js';
export * from './emulator-server.js';
