import type { TgUpdate } from '../types.js';
import type { MethodContext, MethodHandler } from './context.js';
import { ApiError, badRequest, TG } from './errors.js';

/** Telegram's ceiling on the long-poll timeout is not documented; the emulator caps it at 50 s. */
const MAX_TIMEOUT_S = 50;

/**
 * getUpdates: `offset` confirms everything below it, `limit` 1..100, `timeout` long-polls in
 * seconds, `allowed_updates` filters from now on. A newer poll ends an older one with 409, and
 * polling is refused with 409 while a webhook is set.
 */
async function getUpdates(ctx: MethodContext): Promise<TgUpdate[]> {
  const { bot, params, signal } = ctx;
  if (bot.webhook) throw new ApiError(409, TG.webhookActive);
  const limit = params.int('limit') ?? 100;
  if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100');
  const timeout = Math.min(Math.max(params.int('timeout') ?? 0, 0), MAX_TIMEOUT_S);
  const allowed = params.json<string[]>('allowed_updates');
  if (allowed !== undefined && !Array.isArray(allowed)) throw badRequest("can't parse allowed_updates JSON object");
  bot.queue.terminatePoll();
  bot.queue.setAllowed(allowed);
  bot.queue.confirm(params.int('offset'));
  if (bot.queue.size > 0 || timeout === 0) return bot.queue.peek(limit);
  await bot.queue.waitForUpdate(timeout * 1000, signal);
  if (bot.webhook) throw new ApiError(409, TG.webhookActive);
  return bot.queue.peek(limit);
}

export const updateMethods: Record<string, MethodHandler> = { getUpdates };
