import type { Logger } from '@vpn/logger';
import { BotError, GrammyError, HttpError, type Context } from 'grammy';
import { DEFERRED_PARAMETER } from '../api/defer-flood-waits.js';

/**
 * What went wrong, in the terms the policy acts on. grammY has three error kinds with one meaning
 * each: `GrammyError` (Telegram refused a call), `HttpError` (the network failed), `BotError`
 * (middleware failed; it carries the update's ctx and wraps one of the others or a plain bug).
 */
export type TelegramErrorKind =
  /** 403: the user blocked the bot or deleted the account. Mark them; stop writing to them. */
  | 'blocked'
  /** 429 that auto-retry already waited out `maxDelaySeconds` worth of, or gave up on. */
  | 'rate-limited'
  /** 400 "message is not modified": the edit was a no-op. Harmless. */
  | 'not-modified'
  /** 400 "query is too old": a callback query answered after ~15 s. Nothing to do. */
  | 'query-too-old'
  /** Any other refusal by Telegram (bad request, forbidden in a group, …). */
  | 'api'
  /** The request did not reach Telegram or no answer came back. */
  | 'network'
  /** Not a Telegram error: a bug or a domain error in our own code. */
  | 'internal';

export interface TelegramErrorInfo {
  kind: TelegramErrorKind;
  /** The error under a `BotError`. */
  error: unknown;
  /** For `blocked`: the user who blocked the bot (the call's `chat_id`, else the update's sender). */
  telegramId?: number;
  /** For `rate-limited`: Telegram's `retry_after` in seconds. */
  retryAfter?: number;
  /** For `rate-limited`: the send was handed to the worker, which makes it after the wait. */
  deferred?: boolean;
  /** The Bot API method that failed, for Telegram errors. */
  method?: string;
}

const BLOCKED = /bot was blocked by the user|user is deactivated/i;
const NOT_MODIFIED = /message is not modified/i;
const QUERY_TOO_OLD = /query is too old|query ID is invalid/i;

/** Sorts any error into the kinds the policy acts on. Pure: no logging, no calls. */
export function classifyTelegramError(err: unknown): TelegramErrorInfo {
  const error = err instanceof BotError ? err.error : err;
  const senderId = err instanceof BotError ? (err.ctx as Context).from?.id : undefined;
  if (error instanceof HttpError) return { kind: 'network', error };
  if (!(error instanceof GrammyError)) return { kind: 'internal', error };
  const base = { error, method: error.method };
  const { error_code: code, description } = error;
  if (code === 403 && BLOCKED.test(description)) {
    const chatId = error.payload.chat_id;
    const telegramId = typeof chatId === 'number' && chatId > 0 ? chatId : senderId;
    return { ...base, kind: 'blocked', telegramId };
  }
  if (code === 429) {
    const deferred = (error.parameters as Record<string, unknown>)[DEFERRED_PARAMETER] === true;
    return { ...base, kind: 'rate-limited', retryAfter: error.parameters.retry_after, ...(deferred ? { deferred } : {}) };
  }
  if (code === 400 && NOT_MODIFIED.test(description)) return { ...base, kind: 'not-modified' };
  if (code === 400 && QUERY_TOO_OLD.test(description)) return { ...base, kind: 'query-too-old' };
  return { ...base, kind: 'api' };
}

export interface TelegramErrorPolicyDeps {
  logger: Logger;
  /** Called once per 403 "blocked"/"deactivated" with the user's Telegram id: mark them in the database. */
  onUserBlockedBot?: (telegramId: number) => void | Promise<void>;
}

/**
 * The one Telegram error policy, for `bot.catch`, the kit's error boundary, and the worker's own
 * `Api` calls: 403 blocked → `onUserBlockedBot`; 429 → logged at warn (auto-retry already waited);
 * "message is not modified" and "query is too old" → ignored; anything else → logged at error.
 * Never throws (a failing `onUserBlockedBot` is logged). Returns what it decided, so a caller can
 * act on it (the bot's boundary replies politely for `api`, `network` and `internal`).
 */
export async function handleTelegramError(err: unknown, deps: TelegramErrorPolicyDeps): Promise<TelegramErrorInfo> {
  const info = classifyTelegramError(err);
  const { logger } = deps;
  const fields = { err: info.error, method: info.method };
  switch (info.kind) {
    case 'not-modified':
    case 'query-too-old':
      logger.debug(fields, `ignored Telegram error (${info.kind})`);
      break;
    case 'rate-limited':
      if (info.deferred)
        logger.info({ method: info.method, retry_after: info.retryAfter }, 'flood wait too long to wait inline; send handed to the worker');
      else logger.warn({ ...fields, retry_after: info.retryAfter }, 'Telegram rate limit outlasted auto-retry');
      break;
    case 'blocked':
      logger.info({ method: info.method, telegram_id: info.telegramId }, 'user blocked the bot');
      if (info.telegramId !== undefined && deps.onUserBlockedBot) {
        try {
          await deps.onUserBlockedBot(info.telegramId);
        } catch (hookError) {
          logger.error({ err: hookError, telegram_id: info.telegramId }, 'onUserBlockedBot failed');
        }
      }
      break;
    default:
      logger.error(fields, info.kind === 'internal' ? 'update failed' : `Telegram call failed (${info.kind})`);
  }
  return info;
}
