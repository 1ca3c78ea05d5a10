import { initProcessMetrics } from '@vpn/metrics';
import { createServer as createHttpServer } from 'node:http';
import { configOrExit } from '@vpn/config';
import { createDatabase, databaseOptions } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import { createLogger, prettyLogs } from '@vpn/logger';
import pino from 'pino';
import { createProducers, createQueueFactory } from '@vpn/queues';
import { createShutdown } from '@vpn/telegram-kit';
import { createOpsServer, createServer } from './app.js';
import { loadWebhooksConfig } from './config.js';
import { createGoTokens } from '@vpn/vpn/go-links';
import { createMetrics } from './metrics.js';
import { createDbNotificationStore } from './notifications/db-notification-store.js';
import { createSettlementEnqueuer } from './notifications/settlement-enqueuer.js';
import { createPaymentProviders } from '@vpn/payments';

/**
 * The webhooks process: parse config, open PostgreSQL and Redis (lazily), build the app, listen,
 * and shut down once on SIGINT/SIGTERM (stop accepting, finish in-flight requests, close queues,
 * close the pool).
 */
const config = configOrExit(loadWebhooksConfig);
initProcessMetrics('webhooks');
// Buffered output: one write per few kilobytes instead of a synchronous write per line keeps
// logging off the acknowledgement's critical path; flushed every half second and on shutdown.
const pretty = prettyLogs(config);
const destination = pretty ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4_096 });
if (destination) setInterval(() => destination.flush(), 500).unref();
const logger = createLogger({ name: 'webhooks', level: config.LOG_LEVEL, pretty, ...(destination ? { destination } : {}) });
const db = createDatabase({
  ...databaseOptions(config),
  logger,
});
const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
const producers = createProducers(queues);
const registry = createPaymentProviders(config, { logger });
const providers = { get: (name: string) => (registry.has(name) ? registry.get(name) : undefined) };

const metrics = createMetrics();
const readiness = { postgres: () => db.ping(), redis: () => queues.redis.ping() };
const app = createServer({
  logger,
  metrics,
  providers,
  store: createDbNotificationStore(db),
  enqueueSettlement: createSettlementEnqueuer(producers),
  readiness,
  trustProxy: config.WEBHOOKS_TRUST_PROXY,
  bodyLimitBytes: config.WEBHOOKS_BODY_LIMIT_BYTES,
  ...(config.GO_LINK_SECRET
    ? {
        goLinks: {
          tokens: createGoTokens(config.GO_LINK_SECRET),
          i18n: createI18n(),
          // A deleted account (retired, moved) has no current key: its links are replaced too.
          keyVersion: async (id: number) => {
            const account = await db.repos.vpnAccounts.get(id);
            return account && account.syncState !== 'deleted' ? account.reissueCount : null;
          },
        },
      }
    : {}),
});

const server = createHttpServer(app.callback());
// Providers keep connections open between deliveries; do not let an idle one hold a shutdown.
server.keepAliveTimeout = 5_000;
const shutdown = createShutdown(logger);
shutdown.onShutdown('log', () => destination?.flushSync());
shutdown.onShutdown('database', () => db.close());
shutdown.onShutdown('queues', () => queues.close());
shutdown.onShutdown(
  'http',
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
);
// Health, readiness and metrics on the ops port (HEALTH_PORT), never on the public one.
const ops = config.HEALTH_PORT === undefined ? undefined : createHttpServer(createOpsServer({ logger, metrics, readiness }).callback());
if (ops) {
  shutdown.onShutdown(
    'ops',
    () =>
      new Promise<void>((resolve) => {
        ops.close(() => resolve());
        ops.closeAllConnections();
      }),
  );
  ops.listen(config.HEALTH_PORT, () => logger.info({ port: config.HEALTH_PORT }, 'ops endpoints listening (/healthz, /readyz, /metrics)'));
}
server.listen(config.WEBHOOKS_PORT, config.WEBHOOKS_HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.WEBHOOKS_PORT;
  logger.info({ port, host: config.WEBHOOKS_HOST, providers: registry.names }, 'webhooks listening');
  destination?.flush();
});
