import type { telegramSchema, z } from '@vpn/config';
import type { Logger } from '@vpn/logger';
import type { StartBotOptions } from './start-bot.js';

/** The telegram part of a bot process's parsed config (`telegramSchema` of `@vpn/config`). */
export type TelegramConfig = z.output<typeof telegramSchema>;

/**
 * `startBot` options from the environment: `BOT_MODE=polling`, or `webhook` with
 * `BOT_WEBHOOK_URL`, `BOT_WEBHOOK_SECRET` and `BOT_WEBHOOK_PORT`. Webhook mode without a URL or a
 * secret fails here, at start, with the names of the missing keys.
 */
export function startOptionsFromConfig(config: TelegramConfig, logger: Logger): StartBotOptions {
  if (config.BOT_MODE === 'polling') return { mode: 'polling', logger };
  const missing = [
    config.BOT_WEBHOOK_URL ? undefined : 'BOT_WEBHOOK_URL',
    config.BOT_WEBHOOK_SECRET ? undefined : 'BOT_WEBHOOK_SECRET',
  ].filter((k) => k !== undefined);
  if (!config.BOT_WEBHOOK_URL || !config.BOT_WEBHOOK_SECRET) {
    throw new Error(`BOT_MODE=webhook needs ${missing.join(' and ')}`);
  }
  return {
    mode: 'webhook',
    url: config.BOT_WEBHOOK_URL,
    secretToken: config.BOT_WEBHOOK_SECRET,
    port: config.BOT_WEBHOOK_PORT,
    logger,
  };
}
