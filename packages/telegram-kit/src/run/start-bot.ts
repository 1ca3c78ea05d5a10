import { run } from '@grammyjs/runner';
import type { Logger } from '@vpn/logger';
import { metrics, onScrape } from '@vpn/metrics';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { inFlightOf } from '../create-bot.js';
import { startWebhookServer } from './webhook-server.js';

/** An update type a bot asks Telegram for (`allowed_updates`). */
export type AllowedUpdate = Exclude<keyof Update, 'update_id'>;

/** What our bots need; `chat_member` and reactions are off unless asked for. */
export const DEFAULT_ALLOWED_UPDATES: readonly AllowedUpdate[] = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
  'pre_checkout_query',
];

interface CommonStartOptions {
  logger: Logger;
  allowedUpdates?: readonly AllowedUpdate[];
  /** Drop what Telegram queued while the bot was down. Default false. */
  dropPendingUpdates?: boolean;
  /** How long `stop()` waits for updates still being handled. Default 10 s. */
  drainTimeoutMs?: number;
  /**
   * Called once when taking updates ends without `stop()`: the runner gave up polling (409 another
   * instance polls, 401 the token was revoked) or the webhook server closed or failed. Staying up
   * would be an outage that reports healthy, so the process must exit non-zero and let its
   * supervisor restart it (`shutdown.fail`). Default: a fatal log line and `process.exit(1)`.
   */
  onUnexpectedStop?: (err: unknown) => void;
}

export interface PollingOptions extends CommonStartOptions {
  mode: 'polling';
  /** Long-polling timeout in seconds (Telegram allows up to 50). Default 30. */
  pollTimeoutSeconds?: number;
}

export interface WebhookOptions extends CommonStartOptions {
  mode: 'webhook';
  /** The public https URL Telegram posts to; a function receives the bound port (tests bind port 0). */
  url: string | ((port: number) => string);
  /** Sent by Telegram in `X-Telegram-Bot-Api-Secret-Token`: 1–256 of `A-Z a-z 0-9 _ -`. */
  secretToken: string;
  port: number;
  host?: string;
  /** Default: the path of `url`. */
  path?: string;
  /** Telegram's concurrent deliveries, 1–100 (default 40). */
  maxConnections?: number;
}

export type StartBotOptions = PollingOptions | WebhookOptions;

export interface BotHandle {
  readonly mode: 'polling' | 'webhook';
  /** The webhook server's port (webhook mode). */
  readonly port?: number;
  /** Stops taking updates, then waits for the ones being handled. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * For `/healthz`: polling runs and its last `getUpdates` did not fail, or the webhook server
   * listens. False from the first failed fetch until one succeeds again, and for good after an
   * unexpected stop.
   */
  isTakingUpdates(): boolean;
}

/**
 * Starts a bot in long polling (through `@grammyjs/runner`, after deleting any webhook) or webhook
 * mode (a node:http server, then `setWebhook` with the secret token). Register the handle's
 * `stop` with the process's shutdown.
 */
export async function startBot<C extends Context>(bot: Bot<C>, options: StartBotOptions): Promise<BotHandle> {
  const { logger } = options;
  await bot.init();
  const allowed_updates = [...(options.allowedUpdates ?? DEFAULT_ALLOWED_UPDATES)];
  const drop_pending_updates = options.dropPendingUpdates ?? false;
  let stopTaking: () => Promise<void>;
  let taking: () => boolean;
  let port: number | undefined;
  let stopping = false;
  let failed = false;
  const onUnexpectedStop = options.onUnexpectedStop ?? exitOnUnexpectedStop(logger);
  const unexpected = (err: unknown): void => {
    if (stopping || failed) return;
    failed = true;
    onUnexpectedStop(err);
  };

  if (options.mode === 'polling') {
    await bot.api.deleteWebhook({ drop_pending_updates });
    const fetches = trackGetUpdates(bot);
    const runner = run(bot, {
      runner: { fetch: { allowed_updates, timeout: options.pollTimeoutSeconds ?? 30 }, silent: true },
    });
    // The runner gives up only on what it cannot recover from (401 token revoked, 409 another
    // instance polling), and then it is over: the process must not stay up looking healthy.
    void runner.task()?.then(
      () => unexpected(new Error('polling ended')),
      (err: unknown) => unexpected(err),
    );
    taking = () => !failed && runner.isRunning() && fetches.ok();
    stopTaking = async () => {
      if (runner.isRunning()) await runner.stop();
    };
  } else {
    const server = await startWebhookServer(bot, {
      secretToken: options.secretToken,
      // The path does not depend on the port, so a url function can be asked with any port.
      path: options.path ?? new URL(typeof options.url === 'string' ? options.url : options.url(0)).pathname,
      port: options.port,
      host: options.host,
      logger,
      onUnexpectedClose: unexpected,
    });
    port = server.port;
    taking = () => !failed && server.listening;
    const url = typeof options.url === 'string' ? options.url : options.url(server.port);
    await bot.api.setWebhook(url, {
      secret_token: options.secretToken,
      allowed_updates,
      drop_pending_updates,
      max_connections: options.maxConnections,
    });
    stopTaking = () => server.close();
  }
  logger.info({ mode: options.mode, bot: bot.botInfo.username, port }, 'bot started');

  let stopped: Promise<void> | undefined;
  const isTakingUpdates = () => !stopping && taking();
  // `bot_taking_updates`, read at each scrape: the "bot not polling" alert.
  const username = bot.botInfo.username;
  const offScrape = onScrape(
    `bot:${username}`,
    async () => void metrics.botTakingUpdates.set({ bot: username }, isTakingUpdates() ? 1 : 0),
  );
  return {
    mode: options.mode,
    port,
    isTakingUpdates,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        offScrape();
        await stopTaking();
        const drained = (await inFlightOf(bot)?.drain(options.drainTimeoutMs ?? 10_000)) ?? true;
        if (drained) logger.info({ mode: options.mode }, 'bot stopped');
        else logger.warn({ in_flight: inFlightOf(bot)?.size }, 'bot stopped with updates still running');
      })()),
  };
}

function exitOnUnexpectedStop(logger: Logger): (err: unknown) => void {
  return (err) => {
    logger.fatal({ err }, 'stopped taking updates without being asked, exiting');
    process.exit(1);
  };
}

/**
 * Watches the runner's `getUpdates` calls: a failed one (network, 5xx, 429) makes `ok()` false
 * until the next succeeds. A long poll in progress after a success counts as fetching.
 */
function trackGetUpdates<C extends Context>(bot: Bot<C>): { ok: () => boolean } {
  let lastFailed = false;
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      lastFailed = !result.ok;
      return result;
    } catch (err) {
      // An abort is our own stop(), not a failed fetch.
      if (!signal?.aborted) lastFailed = true;
      throw err;
    }
  });
  return { ok: () => !lastFailed };
}
