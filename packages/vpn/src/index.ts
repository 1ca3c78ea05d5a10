export * from './adapter.js';
export * from './http/index.js';
export * from './links/index.js';
export { createMarzbanAdapter, type MarzbanAdapterOptions } from './adapters/marzban/marzban.adapter.js';
export * from './adapters/remnawave/index.js';
export * from './adapters/wg-easy/index.js';
export { createXuiAdapter, type XuiAdapterOptions } from './adapters/3x-ui/xui.adapter.js';
export * from './pool/index.js';
export * from './provisioning/index.js';
