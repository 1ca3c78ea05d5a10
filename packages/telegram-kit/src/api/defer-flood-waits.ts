import { createHash } from 'node:crypto';
import type { Context, MiddlewareFn, Transformer } from 'grammy';
import type { KitFlavor } from '../context.js';

/** Sends a handler may hand on when Telegram makes it wait too long; each is complete in its JSON payload. */
export const DEFERRABLE_METHODS = [
  'sendMessage',
  'copyMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'sendPhoto',
  'sendDocument',
] as const;
export type DeferrableMethod = (typeof DEFERRABLE_METHODS)[number];

/** A send Telegram refused with a flood wait longer than a handler waits: to be made after `retryAfterSeconds`. */
export interface DeferredSend {
  /** The message's identity: the update that caused it, the method and the payload, hashed (32 hex). */
  id: string;
  method: DeferrableMethod;
  payload: Record<string, unknown>;
  retryAfterSeconds: number;
}

/** Marks a 429 whose send was handed on, so the error policy does not report it as a failure. */
export const DEFERRED_PARAMETER = 'deferred_to_worker';

const deferrable = (method: string): method is DeferrableMethod => (DEFERRABLE_METHODS as readonly string[]).includes(method);

/** Only plain JSON travels through a queue: an upload (InputFile) cannot, so such a send is not handed on. */
function isPlainJson(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((v) => v === undefined || isPlainJson(v));
}

/**
 * Hands a send that Telegram answered with a flood wait longer than `maxInlineSeconds` (what
 * auto-retry waits inline) to `hand` (the worker, as a delayed job), instead of only failing it.
 * The call still fails for the handler (it cannot wait), marked {@link DEFERRED_PARAMETER}, so the
 * policy logs it as handed on and says nothing to the user (that reply would meet the same wait).
 * The id is the same for the same update, method and payload: an update handled again (a
 * webhook redelivery) hands on the same job, which the queue keeps once.
 */
export function deferFloodWaitsTransformer(
  updateId: number,
  maxInlineSeconds: number,
  hand: (send: DeferredSend) => Promise<void>,
  onError: (err: unknown) => void,
): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const retryAfter = result.ok ? undefined : result.parameters?.retry_after;
    if (result.ok || retryAfter === undefined || retryAfter <= maxInlineSeconds || !deferrable(method) || !isPlainJson(payload))
      return result;
    const plain = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
    const id = createHash('sha256')
      .update(JSON.stringify([updateId, method, plain]))
      .digest('hex')
      .slice(0, 32);
    try {
      await hand({ id, method, payload: plain, retryAfterSeconds: retryAfter });
    } catch (err) {
      onError(err);
      return result;
    }
    return { ...result, parameters: { ...result.parameters, [DEFERRED_PARAMETER]: true } };
  };
}

/** Installs {@link deferFloodWaitsTransformer} on each update's `ctx.api` (it needs the update id). */
export function deferFloodWaitsMiddleware<C extends Context & Pick<KitFlavor, 'logger'>>(
  maxInlineSeconds: number,
  hand: (send: DeferredSend) => Promise<void>,
): MiddlewareFn<C> {
  return (ctx, next) => {
    ctx.api.config.use(
      deferFloodWaitsTransformer(ctx.update.update_id, maxInlineSeconds, hand, (err) =>
        ctx.logger.error({ err }, 'could not hand a flood-waited send to the worker'),
      ),
    );
    return next();
  };
}
