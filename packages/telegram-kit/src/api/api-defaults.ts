import { autoRetry } from '@grammyjs/auto-retry';
import type { Logger } from '@vpn/logger';
import { Api, HttpError, type Transformer } from 'grammy';
import { dropRefusedUrlButtons } from './button-urls.js';
import { sendLimitTransformer, type SendLimitOptions } from '../send-limit/send-limit.transformer.js';
import { leanFetch } from './lean-fetch.js';
import { apiMetricsTransformer } from '../metrics/api-metrics.transformer.js';

/** How long (seconds) a 429 is waited out inline unless `maxRetryAfterSeconds` says otherwise. */
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

export interface ApiDefaultsOptions {
  /**
   * The longest `retry_after` (seconds) a 429 is waited out for; a longer one fails the call.
   * Default 30: a user will not wait longer for a reply; the worker may raise it for broadcasts.
   */
  maxRetryAfterSeconds?: number;
  /** Retries of a 429 or 5xx answer. Default 3. */
  maxRetryAttempts?: number;
  /** Retries of a network failure (`HttpError`), 0.5 s, 1 s, 2 s … apart. Default 3. */
  networkRetries?: number;
  /** Logs every 429 Telegram sends (at warn), even those auto-retry then waits out. */
  logger?: Logger;
  /** Add `parse_mode: 'HTML'` to texts and captions that set none. Default true. */
  htmlByDefault?: boolean;
  /** The shared per-token send limiter and this client's lane; every posting call takes a slot first. */
  sendLimit?: SendLimitOptions;
}

/** Methods whose `text` or `caption` is parsed with `parse_mode`. */
const PARSED_METHODS = new Set([
  'sendMessage',
  'editMessageText',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'editMessageCaption',
  'copyMessage',
  'sendPaidMedia',
]);

/**
 * Every text we send is HTML with escaped values (see `@vpn/i18n`), so HTML is the default parse
 * mode; a call that sets `parse_mode` or entities itself is left alone.
 */
const htmlByDefault: Transformer = (prev, method, payload, signal) => {
  const p = payload as Record<string, unknown>;
  const hasText = typeof p.text === 'string' || typeof p.caption === 'string';
  const formatted = 'parse_mode' in p || 'entities' in p || 'caption_entities' in p;
  if (!PARSED_METHODS.has(method) || !hasText || formatted) return prev(method, payload, signal);
  return prev(method, { ...payload, parse_mode: 'HTML' } as typeof payload, signal);
};

/**
 * Retries a network failure a few times with backoff. `@grammyjs/auto-retry` would retry it
 * forever (its attempt limit does not count network errors), which would hold a handler and its
 * chat's queue through an outage and make a shutdown wait; here it is bounded.
 */
function networkRetry(retries: number): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= retries || signal?.aborted) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
  };
}

function logRateLimits(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) {
      logger.warn({ method, retry_after: result.parameters?.retry_after }, 'Telegram answered 429, waiting it out');
    }
    return result;
  };
}

/**
 * Installs the kit's API defaults on `api.config`: auto-retry for 429 (up to
 * `maxRetryAfterSeconds`) and 5xx, bounded network retries, HTML parse mode by default, and no
 * URL button Telegram would refuse.
 * Used by `createBot` and by the worker for its own `Api` instances.
 */
export function installApiDefaults(api: Api, options: ApiDefaultsOptions = {}): void {
  const transformers: Transformer[] = [];
  // Innermost first: the send limiter books a slot for every attempt and shares a 429's pause,
  // the 429 logger and the metrics see every raw answer, auto-retry wraps the network retry.
  transformers.push(apiMetricsTransformer(api.token));
  if (options.sendLimit) transformers.push(sendLimitTransformer(options.sendLimit));
  if (options.logger) transformers.push(logRateLimits(options.logger));
  transformers.push(networkRetry(options.networkRetries ?? 3));
  transformers.push(
    autoRetry({
      maxDelaySeconds: options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS,
      maxRetryAttempts: options.maxRetryAttempts ?? 3,
      rethrowHttpErrors: true,
    }),
  );
  if (options.htmlByDefault ?? true) transformers.push(htmlByDefault);
  transformers.push(dropRefusedUrlButtons(options.logger));
  api.config.use(...transformers);
}

export interface CreateApiOptions extends ApiDefaultsOptions {
  /** `TELEGRAM_API_ROOT` without a trailing slash (the emulator in tests and the sandbox). */
  apiRoot?: string;
}

/**
 * A bare Bot API client with the kit's defaults, for sending without a bot process (the worker's
 * notifications, relays and broadcasts). Pair it with `handleTelegramError` for failures.
 */
export function createApi(token: string, options: CreateApiOptions = {}): Api {
  const api = new Api(token, apiClientOptions(options.apiRoot));
  installApiDefaults(api, options);
  return api;
}

/**
 * grammY's client options: the API root, which must not end with a slash (`<root>/bot<token>/…`),
 * and the lean transport (see {@link leanFetch}).
 */
export function apiClientOptions(apiRoot: string | undefined): { apiRoot?: string; fetch: typeof leanFetch } {
  return apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, ''), fetch: leanFetch } : { fetch: leanFetch };
}
