import { initProcessMetrics, startOpsServer } from '@vpn/metrics';
import { exitOnConfigError } from '@vpn/config';
import { createI18n } from '@vpn/i18n';
import { createLogger } from '@vpn/logger';
import { createShutdown, startBot, startOptionsFromConfig } from '@vpn/telegram-kit';
import { publishCommands } from './commands.js';
import { composeClientBot } from './compose.js';
import { loadClientBotConfig } from './config.js';

/**
 * The client bot process: parse config, open PostgreSQL, Redis and the queues, build the bot,
 * take updates (polling or webhook), answer /healthz, and shut down once on SIGINT/SIGTERM
 * (stop taking updates and finish the ones in hand, then close queues, Redis and the pool).
 */
async function main(): Promise<void> {
  const config = loadClientBotConfig();
  initProcessMetrics('client-bot');
  const logger = createLogger({ name: 'client-bot', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, nodeEnv: config.NODE_ENV });
  const shutdown = createShutdown(logger);

  const { bot, db, redis, queues, changes } = composeClientBot(config, logger);
  // Closed in reverse: the bot stops taking updates first, the pool goes last.
  shutdown.onShutdown('database', () => db.close());
  shutdown.onShutdown('changes', () => changes.close());
  shutdown.onShutdown('redis', async () => void (await redis.quit()));
  shutdown.onShutdown('queues', () => queues.close());

  // Without the feed the bot still works, reading subscriptions on every update; it keeps retrying.
  await changes.start().catch((err: unknown) => logger.warn({ err }, 'change feed not listening yet; subscriptions are read uncached'));
  await bot.init();
  await publishCommands(bot.api, createI18n(), logger);
  // Polling given up (409: another instance polls; 401) or the webhook server gone: exit 1 after
  // closing everything, so the supervisor restarts the bot instead of it idling as "healthy".
  const handle = await startBot(bot, {
    ...startOptionsFromConfig(config, logger),
    onUnexpectedStop: (err) => void shutdown.fail('stopped taking updates', err),
  });
  shutdown.onShutdown('bot', () => handle.stop());
  if (config.HEALTH_PORT !== undefined) {
    const health = await startOpsServer(config.HEALTH_PORT, {
      postgres: () => db.ping(),
      redis: () => redis.ping(),
      updates: () => (handle.isTakingUpdates() ? Promise.resolve() : Promise.reject(new Error('not taking updates'))),
    });
    shutdown.onShutdown('health', () => health.close());
  }
  logger.info({ bot: bot.botInfo.username, mode: handle.mode, goLinks: Boolean(config.GO_LINK_SECRET) }, 'client bot started');
}

main().catch((err: unknown) => {
  exitOnConfigError(err);
  // The logger may not exist yet (bad config): stderr is the only place left.
  process.stderr.write(`client bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
