export * from './faults.js';
export * from './emulator-server.js';
export * from './panel-emulator.js';
export * from './marzban/marzban.emulator.js';
export * from './remnawave/index.js';
export * from './wg-easy/index.js';
export * from './3x-ui/xui.emulator.js';
export * from './server-rows.js';
