import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Latency buckets for work a person waits on (an update, an acknowledgement): resolution below a second. */
const FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Latency buckets for background jobs, which may wait minutes in a backlog. */
const SLOW = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600];

/**
 * Every metric the platform exports, built on `registry`. One catalog for all processes: a process
 * only moves the ones it does (a bot never settles), and dashboards and alert rules are checked
 * against these names (`scripts/monitoring.test.ts`). Labels take bounded values only: names of
 * bots, features, methods, queues, providers, outcomes; never ids of customers or raw paths.
 */
export function createPlatformMetrics(registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });
  return {
    // Bots: what customers and staff do.
    botUpdates: counter(
      'bot_updates_total',
      'Updates handled by bot, feature (command, button family or update kind) and outcome (ok, error)',
      ['bot', 'feature', 'outcome'],
    ),
    botUpdateDuration: histogram('bot_update_duration_seconds', 'Time to handle one update, by bot and feature', ['bot', 'feature'], FAST),
    botTakingUpdates: gauge('bot_taking_updates', '1 while the bot polls successfully or its webhook server listens, else 0', ['bot']),
    // The Bot API, as every process calls it (bots, the worker's notifications and broadcasts).
    telegramCalls: counter('telegram_api_calls_total', 'Bot API calls by bot id and method (each attempt, retries included)', [
      'bot',
      'method',
    ]),
    telegramErrors: counter(
      'telegram_api_errors_total',
      'Bot API calls that failed, by bot id, method and error code (network = no answer)',
      ['bot', 'method', 'code'],
    ),
    telegramFloodWaits: counter('telegram_flood_waits_total', '429 answers (flood waits) by bot id and method', ['bot', 'method']),
    telegramFloodWaitSeconds: counter('telegram_flood_wait_seconds_total', 'Seconds Telegram asked us to wait (retry_after), by bot id', [
      'bot',
    ]),
    // Queues (Bull): the worker's processors.
    queueJobs: counter('queue_jobs_total', 'Jobs run by queue and outcome (completed, retried, failed = given up)', ['queue', 'outcome']),
    queueJobDuration: histogram('queue_job_duration_seconds', 'Time one job attempt ran, by queue', ['queue'], SLOW),
    queueJobLatency: histogram(
      'queue_job_latency_seconds',
      'Time from a job being due (added, or its delay over) to a worker starting it, by queue',
      ['queue'],
      SLOW,
    ),
    queueDepth: gauge('queue_jobs', 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis at scrape', [
      'queue',
      'state',
    ]),
    // The webhooks service: provider notifications.
    httpRequests: counter('http_requests_total', 'HTTP requests by method, route template and status', ['method', 'route', 'status']),
    // Acknowledgements are meant to take milliseconds: resolution where it matters.
    httpDuration: histogram(
      'http_request_duration_seconds',
      'HTTP request latency by method, route template and status',
      ['method', 'route', 'status'],
      [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    notifications: counter(
      'payment_notifications_total',
      'Payment notifications by provider and outcome (accepted, duplicate, or why refused)',
      ['provider', 'outcome'],
    ),
    webhookAck: histogram(
      'webhook_ack_duration_seconds',
      'Time from a notification arriving to its answer, by provider and outcome',
      ['provider', 'outcome'],
      [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    // Money and access (the worker).
    settlements: counter('settlements_total', 'Settlement jobs by outcome (settled, already_processed, mismatch, error, ...)', ['outcome']),
    panelRetries: counter('panel_call_retries_total', 'Panel calls retried after a transient failure, by server id', ['server']),
    panelCircuitOpen: gauge('panel_circuit_open', '1 while the circuit breaker of a server is open (calls fail fast), else 0', ['server']),
    broadcastMessages: counter('broadcast_messages_total', 'Broadcast deliveries by outcome (sent, blocked, failed)', ['outcome']),
    broadcastPending: gauge(
      'broadcast_recipients_pending',
      'Recipients of running broadcasts not yet reached, read from the database at scrape',
      [],
    ),
    // Business gauges, read from the database at scrape (the worker exports them).
    subscriptionsActive: gauge('subscriptions_active', 'Subscriptions giving access now (trial or paid)', []),
    subscriptionsPaying: gauge('subscriptions_paying', 'Active subscriptions bought with money', []),
    revenueToday: gauge(
      'revenue_today_minor',
      'Succeeded payments since midnight UTC in minor units (kopecks, cents, stars), by currency',
      ['currency'],
    ),
    backupLastSuccess: gauge('backup_last_success_timestamp_seconds', 'Unix time of the last database backup written whole', []),
  };
}

export type PlatformMetrics = ReturnType<typeof createPlatformMetrics>;
