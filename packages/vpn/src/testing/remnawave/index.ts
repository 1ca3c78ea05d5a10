export { createRemnawaveEmulator, type RemnawaveEmulator, type RemnawaveEmulatorOptions } from './remnawave.emulator.js';
export type { EmuUser as RemnawaveEmulatorUser } from './remnawave.store.js';
