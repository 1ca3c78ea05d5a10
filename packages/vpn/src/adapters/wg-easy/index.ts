export { createWgEasyAdapter, type WgEasyAdapter, type WgEasyAdapterOptions } from './wg-easy.adapter.js';
export { parseWireGuardConfig, wireGuardConfigProblems, type WireGuardConfig } from './wg-conf.js';
