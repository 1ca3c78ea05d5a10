/**
 * The client bot exactly as production composes it (`composeClientBot`: PostgreSQL, Redis,
 * queues, billing, payments), started by the kit's `startBot` in polling mode, plus the bench's
 * timer around `handleUpdate`.
 */
import { composeClientBot, loadClientBotConfig } from '@vpn/client-bot';
import { createLogger } from '@vpn/logger';
import { startBot } from '@vpn/telegram-kit';
import { instrument } from './instrument.js';

const config = loadClientBotConfig();
const logger = createLogger({ name: 'client-bot', level: config.LOG_LEVEL });
const { bot, db, redis, queues } = composeClientBot(config, logger);
const probe = instrument(bot);
await bot.init();
const handle = await startBot(bot, { mode: 'polling', logger, pollTimeoutSeconds: 1 });
probe.ready();
process.once('SIGTERM', () => {
  void (async () => {
    await handle.stop();
    await queues.close();
    redis.disconnect();
    await db.close();
    process.exit(0);
  })();
});
