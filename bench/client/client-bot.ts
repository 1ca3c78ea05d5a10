/**
 * The client bot exactly as production composes it (`composeClientBot`: PostgreSQL, Redis,
 * queues, billing, payments), started by the kit's `startBot` in polling mode, plus the bench's
 * timer around `handleUpdate` (and, with BENCH_TRACE_SQL=1, a count of SQL statements by shape).
 */
import { composeClientBot, loadClientBotConfig } from '@vpn/client-bot';
import { createLogger } from '@vpn/logger';
import { startBot } from '@vpn/telegram-kit';
import { readEnv } from '@vpn/config';
import { instrument, queryCounter } from './instrument.js';

const config = loadClientBotConfig();
const logger = createLogger({ name: 'client-bot', level: config.LOG_LEVEL });
// Counting statements costs a little per query: only on request (BENCH_TRACE_SQL=1).
const queries = readEnv().BENCH_TRACE_SQL ? queryCounter() : undefined;
const { bot, db, redis, queues, changes } = composeClientBot(config, logger, queries ? { onQuery: queries.record } : {});
const probe = instrument(bot, queries);
await changes.start();
await bot.init();
const handle = await startBot(bot, { mode: 'polling', logger, pollTimeoutSeconds: 1 });
probe.ready();
process.once('SIGTERM', () => {
  void (async () => {
    await handle.stop();
    await queues.close();
    redis.disconnect();
    await changes.close();
    await db.close();
    process.exit(0);
  })();
});
