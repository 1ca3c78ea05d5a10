import { baseSchema, botTokensSchema, configOrExit, loadConfig, sandboxSchema, z } from '@vpn/config';
import { createLogger } from '@vpn/logger';
import { createEmulator } from './emulator.js';
import type { BotSeed } from './state/bots.js';

/**
 * Runs the emulator on its own for the sandbox: `pnpm --filter @vpn/telegram-emulator start`.
 * Listens on EMULATOR_PORT; registers the bots whose tokens are in the environment (more can be
 * registered through `POST /control/registerBot`).
 */
const schema = z.object({ ...baseSchema.shape, ...sandboxSchema.shape, ...botTokensSchema.shape });
const config = configOrExit(() => loadConfig(schema));
const logger = createLogger({
  name: 'telegram-emulator',
  level: config.LOG_LEVEL,
  pretty: config.LOG_PRETTY,
  nodeEnv: config.NODE_ENV,
});

const seeds: BotSeed[] = [
  { token: config.CLIENT_BOT_TOKEN, username: 'vpn_client_bot', firstName: 'VPN' },
  { token: config.SUPPORT_BOT_TOKEN, username: 'vpn_support_bot', firstName: 'VPN Support' },
  { token: config.ADMIN_BOT_TOKEN, username: 'vpn_admin_bot', firstName: 'VPN Admin' },
].flatMap((s) => (s.token ? [{ ...s, token: s.token }] : []));

const emulator = await createEmulator({
  port: config.EMULATOR_PORT,
  host: '0.0.0.0',
  logger,
  bots: seeds,
});

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'telegram emulator stopping');
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
