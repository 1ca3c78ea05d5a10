import { initProcessMetrics, startOpsServer } from '@vpn/metrics';
import { bootstrapOwners } from '@vpn/backoffice';
import { exitOnConfigError } from '@vpn/config';
import { createLogger } from '@vpn/logger';
import { createShutdown, startBot, startOptionsFromConfig } from '@vpn/telegram-kit';
import { composeAdminBot } from './compose.js';
import { loadAdminBotConfig } from './config.js';

/**
 * The admin bot process: parse config, open PostgreSQL, Redis and the queues, make the
 * `ADMIN_IDS` owners while no owner exists, build the bot, take updates (polling or webhook),
 * answer /healthz, and shut down once on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadAdminBotConfig();
  initProcessMetrics('admin-bot');
  const logger = createLogger({ name: 'admin-bot', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, nodeEnv: config.NODE_ENV });
  const shutdown = createShutdown(logger);

  const { bot, db, redis, queues } = composeAdminBot(config, logger);
  // Closed in reverse: the bot stops taking updates first, the pool goes last.
  shutdown.onShutdown('database', () => db.close());
  shutdown.onShutdown('redis', async () => void (await redis.quit()));
  shutdown.onShutdown('queues', () => queues.close());

  const made = await bootstrapOwners(db, config.ADMIN_IDS ?? []);
  if (made.length > 0) logger.info({ owners: made.map((a) => a.telegramId) }, 'owners made from ADMIN_IDS');
  await bot.init();
  const handle = await startBot(bot, startOptionsFromConfig(config, logger));
  shutdown.onShutdown('bot', () => handle.stop());
  if (config.HEALTH_PORT !== undefined) {
    const health = await startOpsServer(config.HEALTH_PORT, { postgres: () => db.ping(), redis: () => redis.ping() });
    shutdown.onShutdown('health', () => health.close());
  }
  logger.info({ bot: bot.botInfo.username, mode: handle.mode }, 'admin bot started');
}

main().catch((err: unknown) => {
  exitOnConfigError(err);
  // The logger may not exist yet (bad config): stderr is the only place left.
  process.stderr.write(`admin bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
