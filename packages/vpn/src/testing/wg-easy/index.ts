export { createWgEasyEmulator, type WgEasyEmulator, type WgEasyEmulatorOptions } from './wg-easy.emulator.js';
export { wireguardKeyPair, type WgClient as WgEasyEmulatorClient } from './wg-easy.store.js';
