/**
 * `@vpn/client-bot`: the customer bot. `main.ts` is the process; these exports let the bench and
 * tests build the same bot.
 *
 * - `createClientBot(deps)`: the bot from its dependencies (`ClientBotDeps`), not started.
 * - `composeClientBot(config, logger)`: the production wiring (connections included).
 * - `loadClientBotConfig(env?)`, `clientBotConfigSchema`: the process's environment.
 */
export { createClientBot } from './bot.js';
export { composeClientBot, type ComposedClientBot } from './compose.js';
export { clientBotConfigSchema, loadClientBotConfig, type ClientBotConfig } from './config.js';
export type { ClientContext, ClientSession } from './context.js';
export type { ClientBotDeps, ClientProducers } from './deps.js';
export { publishCommands } from './commands.js';
