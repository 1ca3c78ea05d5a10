import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';

/**
 * answerCallbackQuery: once per query and only while it is fresh (about 15 s on Telegram);
 * a second answer or a late one gets "query is too old ...". The answer is recorded for tests.
 */
function answerCallbackQuery(ctx: MethodContext): true {
  const { world, bot, params } = ctx;
  const id = params.reqStr('callback_query_id', 'QUERY_ID_INVALID');
  const record = world.callbacks.get(id);
  const expired = record !== undefined && Date.now() - record.createdAt > world.timings.callbackQueryTtlMs;
  if (!record || record.botId !== bot.id || record.answer !== undefined || expired) throw badRequest(TG.queryTooOld);
  const text = params.str('text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  record.answer = { show_alert: params.bool('show_alert') ?? false };
  if (text !== undefined && text !== '') record.answer.text = text;
  const url = params.str('url');
  if (url !== undefined) record.answer.url = url;
  const cacheTime = params.int('cache_time');
  if (cacheTime !== undefined) record.answer.cache_time = cacheTime;
  record.answeredAt = Date.now();
  world.events.emit({
    type: 'callback_answer',
    botId: bot.id,
    chatId: record.chatId,
    messageId: record.messageId,
    userId: record.from.id,
    detail: { callbackQueryId: id, ...record.answer },
  });
  return true;
}

export const callbackMethods: Record<string, MethodHandler> = { answerCallbackQuery };
