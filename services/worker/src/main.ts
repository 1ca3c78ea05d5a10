import { initProcessMetrics, startOpsServer } from '@vpn/metrics';
import { createBilling } from '@vpn/billing';
import { configOrExit } from '@vpn/config';
import { createDatabase, databaseOptions } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import { createLogger, prettyLogs } from '@vpn/logger';
import pino from 'pino';
import { createPaymentProviders } from '@vpn/payments';
import { createProducers, createQueueFactory } from '@vpn/queues';
import { botIdOf, createApi, createSendLimiter, createShutdown, sendRatesFromConfig } from '@vpn/telegram-kit';
import { createProvisioningService, createReconciler, createServerPool } from '@vpn/vpn';
import { loadWorkerConfig } from './config.js';
import type { CrashStep } from './deps.js';
import { createVpnProvisioner } from './vpn/vpn-provisioner.js';
import { createVpnReconcile } from './vpn/vpn-reconcile.js';
import { createProgressReporter } from './broadcast/progress.js';
import { restoreBackupMetric } from './backup/run-backup.js';
import { createWorker } from './worker.js';
import { exportBusinessGauges } from './metrics/business-gauges.js';

/**
 * The worker process: parse config, build every dependency (nothing connects until used), start
 * the processors and schedules, and shut down once on SIGINT/SIGTERM (stop taking jobs and let
 * active ones finish, then close Redis and PostgreSQL).
 */
const config = configOrExit(loadWorkerConfig);
initProcessMetrics('worker');
// Buffered output (a write per few kilobytes, not per line), flushed twice a second and on shutdown.
const pretty = prettyLogs(config);
const destination = pretty ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4_096 });
if (destination) setInterval(() => destination.flush(), 500).unref();
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, pretty, ...(destination ? { destination } : {}) });

// Crash tests only: the process kills itself at the named step, as a SIGKILL from outside would.
const crashAt = config.NODE_ENV === 'test' ? config.WORKER_CRASH_AT : undefined;
const crashPoint = crashAt
  ? (step: CrashStep) => {
      if (step !== crashAt) return;
      logger.warn({ step }, 'crash point reached; SIGKILL');
      destination?.flushSync();
      process.kill(process.pid, 'SIGKILL');
    }
  : undefined;

const db = createDatabase({
  ...databaseOptions(config),
  logger,
});
const queues = createQueueFactory({
  redisUrl: config.REDIS_URL,
  prefix: config.QUEUE_PREFIX,
  backoffScale: config.QUEUE_BACKOFF_SCALE,
  lockDurationMs: config.QUEUE_LOCK_DURATION_MS,
  stalledIntervalMs: config.QUEUE_STALLED_INTERVAL_MS,
});
const billing = createBilling({
  db,
  logger,
  ...(crashPoint ? { beforeSettlementCommit: () => crashPoint('settlement:before-commit') } : {}),
});
// One send schedule per token with the client bot's replies (same Redis, same prefix).
const sendLimiter = createSendLimiter(queues.redis, `${config.QUEUE_PREFIX}:`, sendRatesFromConfig(config), logger);
// Broadcast-sized waits are fine here: nobody is waiting on a worker's reply. Notifications,
// configs, reminders and relays go in the transactional lane.
const clientApi = createApi(config.CLIENT_BOT_TOKEN, {
  apiRoot: config.TELEGRAM_API_ROOT,
  logger,
  maxRetryAfterSeconds: 60,
  sendLimit: { limiter: sendLimiter, botId: botIdOf(config.CLIENT_BOT_TOKEN), lane: 'transactional' },
});
const i18n = createI18n();
// The admin bot: broadcasts' progress messages are its messages, their photos and videos its files.
const adminApi = config.ADMIN_BOT_TOKEN ? createApi(config.ADMIN_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, logger }) : undefined;
const payments = createPaymentProviders(config, { logger, starsBotApi: clientApi });
const pool = createServerPool({ servers: db.repos.servers, logger });
const provisioning = createProvisioningService({ db, pool, logger });

const worker = createWorker(
  {
    logger,
    db,
    billing,
    queues,
    producers: createProducers(queues),
    payments,
    provisioner: createVpnProvisioner(provisioning, db),
    // The pool probes panels at start and on the server-health schedule; placement reads the result.
    serverHealth: pool,
    vpnReconciler: createVpnReconcile(createReconciler({ db, pool, provisioning, logger }), db),
    clientApi,
    ...(config.SUPPORT_CHAT_ID === undefined ? {} : { supportChatId: config.SUPPORT_CHAT_ID }),
    i18n,
    broadcastOptions: { leaseMs: config.BROADCAST_LEASE_MS, marginMs: Math.min(60_000, Math.floor(config.BROADCAST_LEASE_MS / 4)) },
    broadcasts: {
      // Slots are taken by the sender itself (it checks its lease after the wait), and nothing is
      // retried: a retried send could reach a customer twice.
      bulkApi: createApi(config.CLIENT_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, logger, maxRetryAttempts: 0, networkRetries: 0 }),
      sendLimiter,
      botId: botIdOf(config.CLIENT_BOT_TOKEN),
      ...(adminApi
        ? {
            onProgress: createProgressReporter({ api: adminApi, i18n, logger }),
            mediaSource: { api: adminApi, ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}) },
          }
        : {}),
    },
    ...(crashPoint ? { crashPoint } : {}),
    ...(config.BACKUP_CRON ? { backups: { cron: config.BACKUP_CRON, db, databaseUrl: config.DATABASE_URL, dir: config.BACKUP_DIR } } : {}),
  },
  {
    concurrency: config.WORKER_CONCURRENCY,
    schedules: config.WORKER_SCHEDULES,
    pollAfterMinutes: config.PAYMENT_POLL_AFTER_MINUTES,
    outboxEveryMs: config.OUTBOX_DISPATCH_EVERY_MS,
    serverHealthEveryMs: config.SERVER_HEALTH_EVERY_MS,
    serverCheckAtStartTimeoutMs: config.SERVER_CHECK_AT_START_TIMEOUT_MS,
    reconcile: { cron: config.VPN_RECONCILE_CRON, orphans: config.VPN_RECONCILE_ORPHANS },
    ...(config.WORKER_QUEUES ? { queues: config.WORKER_QUEUES } : {}),
  },
);

const shutdown = createShutdown(logger);
shutdown.onShutdown('log', () => destination?.flushSync());
shutdown.onShutdown('database', () => db.close());
shutdown.onShutdown('worker', () => worker.close());
worker
  .start()
  .then(async () => {
    destination?.flush();
    // Healthy = taking jobs, with PostgreSQL and Redis answering (docker compose's health check).
    if (config.HEALTH_PORT === undefined) return;
    exportBusinessGauges(db);
    // The backups already on the volume: a restarted worker is not one that never backed up.
    if (config.BACKUP_CRON) await restoreBackupMetric(config.BACKUP_DIR);
    const health = await startOpsServer(config.HEALTH_PORT, { postgres: () => db.ping(), redis: () => queues.redis.ping() });
    shutdown.onShutdown('health', () => health.close());
  })
  .catch((err: unknown) => {
    logger.fatal({ err }, 'worker failed to start');
    destination?.flushSync();
    void shutdown.shutdown('start failed');
  });
