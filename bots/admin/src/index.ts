/**
 * `@vpn/admin-bot`: the admin bot. `main.ts` is the process; these exports let tests and the
 * sandbox build the same bot.
 */
export { createAdminBot } from './bot.js';
export { composeAdminBot, type ComposedAdminBot } from './compose.js';
export { adminBotConfigSchema, loadAdminBotConfig, type AdminBotConfig } from './config.js';
export type { AdminContext, AdminSession } from './context.js';
export type { AdminBotDeps, AdminProducers } from './deps.js';
export type { Section } from './ui/section.js';
